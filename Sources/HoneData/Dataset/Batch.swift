/// A batch of examples: features stacked in C order with shape `[batchSize] + featureShape`, their
/// labels, and the dataset positions they came from.
///
/// ```swift
/// let batch = dataset.gather([4, 2])
/// batch.shape         // [2, 28, 28]
/// batch.features.count == 2 * 784
/// ```
public struct Batch: Sendable, Equatable {
    /// Feature values, C order: example-major.
    public var features: [Float]
    /// `[batchSize] + featureShape`.
    public var shape: [Int]
    /// Class labels, one per example.
    public var labels: [Int32]
    /// The dataset index of each example (for augmentation streams, debugging and predictions).
    public var indices: [Int]

    public init(features: [Float], shape: [Int], labels: [Int32], indices: [Int]) {
        precondition(shape.first == labels.count && shape.reduce(1, *) == features.count && indices.count == labels.count,
                     "Batch.init: shape \(shape) does not match \(features.count) features, \(labels.count) labels and \(indices.count) indices")
        self.features = features
        self.shape = shape
        self.labels = labels
        self.indices = indices
    }

    /// Number of examples.
    public var count: Int { labels.count }
}
