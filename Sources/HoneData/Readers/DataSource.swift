/// Where a training run's data comes from, as a config file names it: the bundled subset, a
/// directory of MNIST-style IDX files, a CIFAR-10 binary directory, or CSV files.
///
/// ```swift
/// let data = try DataSource.bundled.load()
/// let full = try DataSource.fashionMNIST(directory: FashionMNIST.debianDirectory).load()
/// let table = try DataSource.csv(train: "train.csv", test: nil, options: CSVOptions()).load(testFraction: 0.2, seed: 1)
/// ```
public enum DataSource: Sendable, Equatable, CustomStringConvertible {
    /// The stratified Fashion-MNIST subset shipped with Hone (`BundledData`).
    case bundled
    /// `train-images-idx3-ubyte[.gz]`, `train-labels-idx1-ubyte[.gz]`, `t10k-…` in `directory`.
    case idx(directory: String, classNames: [String]?)
    /// The CIFAR-10 binary batches (`data_batch_1.bin` … `test_batch.bin`) in `directory`.
    case cifar10(directory: String)
    /// A training CSV and an optional test CSV (without one, a stratified holdout of the training
    /// file becomes the test set).
    case csv(train: String, test: String?, options: CSVOptions)

    /// Full Fashion-MNIST (or a directory laid out like Debian's `dataset-fashion-mnist`).
    public static func fashionMNIST(directory: String) -> DataSource {
        .idx(directory: directory, classNames: FashionMNIST.classNames)
    }

    public var description: String {
        switch self {
        case .bundled: "bundled Fashion-MNIST subset"
        case .idx(let directory, _): "IDX files in \(directory)"
        case .cifar10(let directory): "CIFAR-10 binary batches in \(directory)"
        case .csv(let train, let test, _): "CSV \(train)" + (test.map { " (test: \($0))" } ?? "")
        }
    }

    /// Loads the training and test sets. `testFraction` and `seed` are used only for a CSV source
    /// without a test file.
    public func load(testFraction: Double = 0.2, seed: UInt64 = 0) throws(DataError) -> TrainTestData {
        switch self {
        case .bundled:
            return try BundledData.fashionMNISTSubset()
        case .idx(let directory, let classNames):
            return TrainTestData(
                train: try IDXDataset.loadDirectory(directory, split: .train, classNames: classNames),
                test: try IDXDataset.loadDirectory(directory, split: .test, classNames: classNames))
        case .cifar10(let directory):
            return TrainTestData(train: try CIFAR10.load(directory: directory, split: .train),
                                 test: try CIFAR10.load(directory: directory, split: .test))
        case .csv(let trainPath, let testPath, let options):
            let trainTable = try CSVReader.read(path: trainPath, options: options)
            guard let testPath else {
                let all = try trainTable.dataset()
                let split = try Splits.holdout(labels: all.labels, validationFraction: testFraction, stratified: true, seed: seed)
                return TrainTestData(train: all.selecting(split.train), test: all.selecting(split.validation))
            }
            let testTable = try CSVReader.read(path: testPath, options: options)
            guard testTable.featureNames == trainTable.featureNames else {
                throw DataError(.sizeMismatch, file: testPath,
                                "feature columns \(testTable.featureNames) differ from the training file's \(trainTable.featureNames) (\(trainPath))")
            }
            return try CSVTable.pair(train: trainTable, test: testTable)
        }
    }
}

extension CSVTable {
    /// Train and test datasets with one class numbering: integer labels as they are; text labels
    /// numbered by the training file's sorted classes (a test label the training file lacks is an
    /// error naming the test file).
    static func pair(train: CSVTable, test: CSVTable) throws(DataError) -> TrainTestData {
        let (trainLabels, trainNames) = try train.classLabels()
        let testInts = (test.labelTexts ?? []).map { Int32($0) }
        let (trainInts) = (train.labelTexts ?? []).map { Int32($0) }
        let numeric = (trainInts + testInts).allSatisfy { $0 != nil && $0! >= 0 }
        var testLabels: [Int32] = []
        var names = trainNames
        if numeric {
            let (labels, testNames) = try test.classLabels()
            testLabels = labels
            if testNames.count > names.count { names = testNames }
        } else {
            var index: [String: Int32] = [:]
            for (i, n) in trainNames.enumerated() { index[n] = Int32(i) }
            for (row, text) in (test.labelTexts ?? []).enumerated() {
                guard let label = index[text] else {
                    throw DataError(.badValue, file: test.file,
                                    "label \"\(text)\" in data row \(row + 1) does not occur in the training file \(train.file)")
                }
                testLabels.append(label)
            }
        }
        guard !train.featureNames.isEmpty else {
            throw DataError(.invalidArgument, file: train.file, "CSV has no feature columns besides the label")
        }
        let shape = [train.featureNames.count]
        return TrainTestData(
            train: InMemoryDataset(features: train.features, featureShape: shape, labels: trainLabels, classCount: names.count, classNames: names),
            test: InMemoryDataset(features: test.features, featureShape: shape, labels: testLabels, classCount: names.count, classNames: names))
    }
}
