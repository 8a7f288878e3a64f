import Foundation
import HoneConfig
import HoneData

/// Errors a run can hit outside the config file itself.
public struct RunError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The data of a run: training set (tuning splits it further), test set, and what the model
/// needs to know about the inputs.
public struct LoadedData: Sendable {
    public var train: InMemoryDataset
    public var test: InMemoryDataset
    /// Per-example input shape as the model sees it: `[features]` or `[channels, height, width]`.
    public var inputShape: [Int]
    public var classCount: Int
    public var classNames: [String]
    /// Human-readable origin, for logs and the report.
    public var origin: String

    /// Loads what `config.data` names. Missing data says where Hone looked and how to get it.
    public static func load(_ config: HoneConfig) throws -> LoadedData {
        let d = config.data
        var train: InMemoryDataset, test: InMemoryDataset, origin: String
        do {
            switch d.source {
            case .bundled:
                let tt = try BundledData.fashionMNISTSubset()
                (train, test) = (tt.train, tt.test)
                origin = "bundled Fashion-MNIST subset (8,000 train / 2,000 test)"
            case .idx:
                let dir = d.path!
                guard FashionMNIST.isPresent(directory: dir) else {
                    throw ConfigError(file: config.file, line: nil, column: nil, path: "data.path",
                                      message: "no IDX files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-…) in \(dir). For Fashion-MNIST install Debian's dataset-fashion-mnist (files land in \(FashionMNIST.debianDirectory)) or download them from https://github.com/zalandoresearch/fashion-mnist")
                }
                train = try FashionMNIST.load(directory: dir, split: .train)
                test = try FashionMNIST.load(directory: dir, split: .test)
                origin = "IDX files in \(dir)"
            case .cifar10:
                let dir = d.path!
                train = try CIFAR10.load(directory: dir, split: .train)
                test = try CIFAR10.load(directory: dir, split: .test)
                origin = "CIFAR-10 binary batches in \(dir)"
            case .csv:
                var options = CSVOptions()
                options.hasHeader = d.header
                if let column = d.labelColumn { options.labelColumn = Int(column).map { .index($0) } ?? .name(column) }
                let tt = try DataSource.csv(train: d.path!, test: nil, options: options)
                    .load(testFraction: 0.2, seed: UInt64(config.training.seed))
                // Missing values → training-set means; then standardize with training statistics.
                var pipeline = PreprocessingPipeline([.impute(Imputer(strategy: .mean)), .standardize(Standardizer())])
                train = try pipeline.fitTransform(tt.train)
                test = try pipeline.transform(tt.test)
                origin = "CSV \(d.path!) (20% held out for testing; missing values imputed, standardized)"
            }
        } catch let e as DataError {
            throw RunError("data: \(e)")
        }
        if let limit = d.trainLimit, limit < train.count {
            let split = try Splits.holdout(labels: train.labels, validationFraction: 1 - Double(limit) / Double(train.count),
                                           stratified: true, seed: UInt64(config.training.seed))
            train = train.selecting(split.train)
        }
        var shape = train.featureShape
        if shape.count == 2 {   // grayscale images: add the channel axis the convolutions expect
            shape = [1] + shape
            train = train.reshaped(featureShape: shape)
            test = test.reshaped(featureShape: shape)
        }
        let names = train.classNames ?? (0..<train.classCount).map { "class \($0)" }
        return LoadedData(train: train, test: test, inputShape: shape, classCount: train.classCount,
                          classNames: names, origin: origin)
    }
}
