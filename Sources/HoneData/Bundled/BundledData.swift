import Foundation

/// Data that ships inside Hone, so `hone tune` and the tests work on a fresh clone with no download.
///
/// The Fashion-MNIST subset (Xiao et al. 2017, MIT licence) is 8,000 training images (800 per
/// class) and 2,000 test images (200 per class), about 4.4 MB of gzip-compressed IDX files in
/// `Sources/HoneData/Resources/fashion-mnist-subset/`, made by `scripts/make-bundled-dataset.py`.
///
/// ```swift
/// let data = try BundledData.fashionMNISTSubset()
/// data.train.count            // 8000
/// data.test.classHistogram()  // [200, 200, …, 200]
/// ```
public enum BundledData {
    /// The folder name of the subset inside the resources.
    static let subsetFolder = "fashion-mnist-subset"

    /// Loads the bundled stratified Fashion-MNIST subset (pixels in [0, 1], features `[28, 28]`).
    public static func fashionMNISTSubset() throws(DataError) -> TrainTestData {
        let directory = try fashionMNISTSubsetDirectory()
        return TrainTestData(train: try FashionMNIST.load(directory: directory, split: .train),
                             test: try FashionMNIST.load(directory: directory, split: .test))
    }

    /// The directory holding the bundled subset's files. Looked up, in order: the environment
    /// variable `HONE_BUNDLED_DATA`; SwiftPM's resource bundle next to the running executable
    /// (`swift run`, `swift test`, an installed copy); the package's source tree.
    public static func fashionMNISTSubsetDirectory() throws(DataError) -> String {
        let candidates = candidateDirectories()
        for directory in candidates where FashionMNIST.isPresent(directory: directory) { return directory }
        throw DataError(.unreadable, file: candidates.last ?? subsetFolder,
                        "the bundled Fashion-MNIST subset was not found; looked in \(candidates.joined(separator: ", ")). Set HONE_BUNDLED_DATA to a directory holding its four IDX .gz files, or regenerate them with scripts/make-bundled-dataset.py")
    }

    static func candidateDirectories() -> [String] {
        var out: [String] = []
        if let override = ProcessInfo.processInfo.environment["HONE_BUNDLED_DATA"], !override.isEmpty {
            out.append(override)
        }
        let bundleNames = ["Hone_HoneData.resources", "Hone_HoneData.bundle", "Hone_HoneData.bundle/Contents/Resources"]
        var roots = [Bundle.main.bundleURL]
        if let executable = Bundle.main.executableURL?.deletingLastPathComponent() { roots.append(executable) }
        for root in roots {
            for name in bundleNames { out.append(root.appendingPathComponent(name).appendingPathComponent(subsetFolder).path) }
        }
        // This file is Sources/HoneData/Bundled/BundledData.swift; the resources are two levels up.
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        out.append(source.appendingPathComponent("Resources").appendingPathComponent(subsetFolder).path)
        var seen = Set<String>()
        return out.filter { seen.insert($0).inserted }
    }
}
