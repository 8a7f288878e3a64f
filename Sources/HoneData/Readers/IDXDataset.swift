/// Builds a labelled dataset from a pair of IDX files (MNIST, Fashion-MNIST, EMNIST, KMNIST…).
///
/// ```swift
/// let test = try IDXDataset.load(images: "t10k-images-idx3-ubyte.gz", labels: "t10k-labels-idx1-ubyte.gz")
/// test.featureShape   // [28, 28]; pixels scaled to [0, 1]
/// ```
public enum IDXDataset {
    /// Reads `images` (`[count, …]`, any IDX type) and `labels` (`[count]`, an integer type).
    ///
    /// - Parameters:
    ///   - scaleToUnitRange: divide `uint8` pixels by 255 so they lie in [0, 1]; other element
    ///     types are kept as they are.
    ///   - classCount: the number of classes; labels must lie in `0..<classCount`. Nil infers it
    ///     from `classNames` or from the largest label.
    public static func load(images: String, labels: String, scaleToUnitRange: Bool = true,
                            classCount: Int? = nil, classNames: [String]? = nil) throws(DataError) -> InMemoryDataset {
        let imageArray = try IDXFile.read(path: images)
        let labelArray = try IDXFile.read(path: labels)
        return try make(images: imageArray, imagesFile: images, labels: labelArray, labelsFile: labels,
                        scaleToUnitRange: scaleToUnitRange, classCount: classCount, classNames: classNames)
    }

    /// Loads a split of an MNIST-style directory (the file names of MNIST and Fashion-MNIST:
    /// `train-images-idx3-ubyte[.gz]`, `train-labels-idx1-ubyte[.gz]`, `t10k-…`). Without
    /// `classNames` the class count is the largest label + 1.
    ///
    /// ```swift
    /// let mnist = try IDXDataset.loadDirectory("/data/mnist", split: .test)
    /// ```
    public static func loadDirectory(_ directory: String, split: FashionMNIST.Split,
                                     classNames: [String]? = nil) throws(DataError) -> InMemoryDataset {
        let images = try FashionMNIST.locate(directory: directory, name: "\(split.filePrefix)-images-idx3-ubyte")
        let labels = try FashionMNIST.locate(directory: directory, name: "\(split.filePrefix)-labels-idx1-ubyte")
        return try load(images: images, labels: labels, classNames: classNames)
    }

    /// The same checks and conversion as `load`, for arrays already in memory.
    public static func make(images: IDXArray, imagesFile: String, labels: IDXArray, labelsFile: String,
                            scaleToUnitRange: Bool = true, classCount: Int? = nil,
                            classNames: [String]? = nil) throws(DataError) -> InMemoryDataset {
        guard images.shape.count >= 2 else {
            throw DataError(.sizeMismatch, file: imagesFile,
                            "expected images with at least 2 dimensions [count, …], found shape \(images.shape)")
        }
        guard labels.shape.count == 1 else {
            throw DataError(.sizeMismatch, file: labelsFile, "expected labels with 1 dimension [count], found shape \(labels.shape)")
        }
        guard images.shape[0] == labels.shape[0] else {
            throw DataError(.countMismatch, file: imagesFile,
                            "image/label count mismatch: \(images.shape[0]) images here but \(labels.shape[0]) labels in \(labelsFile)")
        }
        let featureShape = Array(images.shape.dropFirst())
        guard featureShape.allSatisfy({ $0 > 0 }) else {
            throw DataError(.sizeMismatch, file: imagesFile, "image dimensions \(featureShape) must all be positive")
        }
        guard let labelValues = labels.integers() else {
            throw DataError(.unsupportedType, file: labelsFile, "labels are \(labels.elementType); expected an integer IDX type")
        }
        let limit = classCount ?? classNames?.count
        for (i, l) in labelValues.enumerated() where l < 0 || (limit.map { Int(l) >= $0 } ?? false) {
            throw DataError(.badValue, file: labelsFile,
                            "label \(l) of example \(i) is outside 0..<\(limit.map(String.init) ?? "∞")")
        }
        let divisor: Float = scaleToUnitRange && images.elementType == .uint8 ? 255 : 1
        return InMemoryDataset(features: images.floats(dividingBy: divisor), featureShape: featureShape,
                               labels: labelValues, classCount: classCount, classNames: classNames)
    }
}

/// Fashion-MNIST (Xiao, Rasul & Vollgraf 2017; MIT licence): 60,000 training and 10,000 test
/// 28×28 grey images of 10 clothing classes, in IDX files.
///
/// ```swift
/// let train = try FashionMNIST.load(directory: FashionMNIST.debianDirectory, split: .train)
/// train.count   // 60000
/// ```
public enum FashionMNIST {
    /// Where Debian's `dataset-fashion-mnist` package installs the four `.gz` files.
    public static let debianDirectory = "/usr/share/datasets/fashion-mnist"

    /// The ten class names, index = label.
    public static let classNames = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

    /// Which half of the data set.
    public enum Split: String, Sendable, CaseIterable {
        case train, test
        /// The file-name prefix: `train` or `t10k`.
        public var filePrefix: String { self == .train ? "train" : "t10k" }
    }

    /// Loads a split from `directory`, which holds `train-images-idx3-ubyte[.gz]`,
    /// `train-labels-idx1-ubyte[.gz]`, `t10k-images-idx3-ubyte[.gz]`, `t10k-labels-idx1-ubyte[.gz]`.
    /// Pixels are scaled to [0, 1].
    public static func load(directory: String, split: Split) throws(DataError) -> InMemoryDataset {
        try IDXDataset.loadDirectory(directory, split: split, classNames: classNames)
    }

    /// Whether `directory` holds all four files (compressed or not).
    public static func isPresent(directory: String) -> Bool {
        Split.allCases.allSatisfy { split in
            ["images-idx3-ubyte", "labels-idx1-ubyte"].allSatisfy { kind in
                let base = directory + "/" + split.filePrefix + "-" + kind
                return FileBytes.exists(base + ".gz") || FileBytes.exists(base)
            }
        }
    }

    static func locate(directory: String, name: String) throws(DataError) -> String {
        let base = directory.hasSuffix("/") ? directory + name : directory + "/" + name
        for candidate in [base + ".gz", base] where FileBytes.exists(candidate) { return candidate }
        throw DataError(.unreadable, file: base + ".gz",
                        "file not found (also looked for \(base)); install Debian's `dataset-fashion-mnist` (files in \(debianDirectory)) or download the four .gz files from https://github.com/zalandoresearch/fashion-mnist")
    }
}
