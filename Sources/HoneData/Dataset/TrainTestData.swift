/// A training set and a test set that belong together (same feature shape and classes).
///
/// ```swift
/// let data = try BundledData.fashionMNISTSubset()
/// data.train.count, data.test.count   // 8000, 2000
/// ```
public struct TrainTestData: Sendable {
    public let train: InMemoryDataset
    public let test: InMemoryDataset

    public init(train: InMemoryDataset, test: InMemoryDataset) {
        precondition(train.featureShape == test.featureShape,
                     "TrainTestData.init: train shape \(train.featureShape) differs from test shape \(test.featureShape)")
        self.train = train
        self.test = test
    }
}
