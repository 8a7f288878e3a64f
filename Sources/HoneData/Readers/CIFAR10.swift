/// CIFAR-10 in its binary form (Krizhevsky 2009; cs.toronto.edu/~kriz/cifar.html; FIELD-GUIDE
/// §8.3): each batch file holds records of 3,073 bytes — a label byte, then the 1,024 red, 1,024
/// green and 1,024 blue bytes of a 32×32 image, row-major (CHW).
///
/// ```swift
/// let train = try CIFAR10.load(directory: "cifar-10-batches-bin", split: .train)
/// train.featureShape   // [3, 32, 32], values in [0, 1]
/// ```
public enum CIFAR10 {
    /// Bytes per record: 1 label + 3 × 32 × 32 pixels.
    public static let recordSize = 3073
    /// The class names as in `batches.meta.txt`.
    public static let classNames = ["airplane", "automobile", "bird", "cat", "deer",
                                    "dog", "frog", "horse", "ship", "truck"]

    /// Which files make up a split.
    public enum Split: String, Sendable, CaseIterable {
        case train, test
        /// `data_batch_1.bin` … `data_batch_5.bin`, or `test_batch.bin`.
        public var fileNames: [String] {
            self == .train ? (1...5).map { "data_batch_\($0).bin" } : ["test_batch.bin"]
        }
    }

    /// Loads every batch file of `split` from `directory` (the unpacked `cifar-10-batches-bin`).
    /// Class names come from `batches.meta.txt` when it is present and lists 10 names.
    public static func load(directory: String, split: Split, scaleToUnitRange: Bool = true) throws(DataError) -> InMemoryDataset {
        let dir = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        let paths = split.fileNames.map { dir + "/" + $0 }
        for path in paths where !FileBytes.exists(path) {
            throw DataError(.unreadable, file: path,
                            "file not found; expected the CIFAR-10 binary version (cifar-10-binary.tar.gz from https://www.cs.toronto.edu/~kriz/cifar.html) unpacked in \(dir)")
        }
        var names = classNames
        if FileBytes.exists(dir + "/batches.meta.txt"),
           let text = try? FileBytes.read(path: dir + "/batches.meta.txt") {
            let listed = String(decoding: text, as: UTF8.self).split(whereSeparator: \.isNewline)
                .map { String($0.trimmedWhitespace()) }.filter { !$0.isEmpty }
            if listed.count == 10 { names = listed }
        }
        return try loadBatches(paths: paths, scaleToUnitRange: scaleToUnitRange, classNames: names)
    }

    /// Loads and concatenates the given batch files.
    public static func loadBatches(paths: [String], scaleToUnitRange: Bool = true,
                                   classNames: [String] = CIFAR10.classNames) throws(DataError) -> InMemoryDataset {
        var features: [Float] = []
        var labels: [Int32] = []
        for path in paths {
            let bytes = try FileBytes.readMaybeGzip(path: path)
            try parse(bytes, file: path, divisor: scaleToUnitRange ? 255 : 1, features: &features, labels: &labels)
        }
        return InMemoryDataset(features: features, featureShape: [3, 32, 32], labels: labels,
                               classCount: 10, classNames: classNames)
    }

    /// Appends the records in `bytes` (one batch file's contents) to `features` (pixel / `divisor`)
    /// and `labels`.
    public static func parse(_ bytes: [UInt8], file: String, divisor: Float,
                             features: inout [Float], labels: inout [Int32]) throws(DataError) {
        guard !bytes.isEmpty else {
            throw DataError(.sizeMismatch, file: file, "file is empty; expected records of \(recordSize) bytes")
        }
        guard bytes.count % recordSize == 0 else {
            throw DataError(.sizeMismatch, file: file,
                            "size \(bytes.count) is not a multiple of the \(recordSize)-byte CIFAR-10 record (\(bytes.count / recordSize) whole records and \(bytes.count % recordSize) extra bytes): truncated or not a CIFAR-10 binary batch")
        }
        let records = bytes.count / recordSize
        for r in 0..<records where bytes[r * recordSize] > 9 {
            throw DataError(.badValue, file: file,
                            "record \(r) (byte offset \(r * recordSize)) has label \(bytes[r * recordSize]); expected 0…9")
        }
        let table = (0...255).map { Float($0) / divisor }
        features.reserveCapacity(features.count + records * (recordSize - 1))
        labels.reserveCapacity(labels.count + records)
        for r in 0..<records {
            let start = r * recordSize
            labels.append(Int32(bytes[start]))
            features.append(contentsOf: bytes[(start + 1)..<(start + recordSize)].lazy.map { table[Int($0)] })
        }
    }
}
