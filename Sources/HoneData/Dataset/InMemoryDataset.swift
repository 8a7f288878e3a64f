/// A dataset held in memory: features `[count] + featureShape` as one `[Float]` array (C order)
/// and one `Int32` label per example.
///
/// ```swift
/// let xor = InMemoryDataset(features: [0, 0, 0, 1, 1, 0, 1, 1], featureShape: [2], labels: [0, 1, 1, 0])
/// xor.count          // 4
/// xor.classCount     // 2
/// ```
public struct InMemoryDataset: Dataset, Equatable {
    /// All feature values, example-major.
    public let features: [Float]
    public let featureShape: [Int]
    public let labelValues: [Int32]
    public let classCount: Int
    /// Human-readable class names, when known (index = label).
    public let classNames: [String]?

    /// Wraps `features` (`labels.count × product(featureShape)` values). `classCount` defaults to
    /// `classNames.count`, else to the largest label + 1.
    public init(features: [Float], featureShape: [Int], labels: [Int32], classCount: Int? = nil, classNames: [String]? = nil) {
        let width = featureShape.reduce(1, *)
        precondition(featureShape.allSatisfy { $0 > 0 } && features.count == labels.count * width,
                     "InMemoryDataset.init: \(features.count) feature values do not fill \(labels.count) examples of shape \(featureShape)")
        let inferred = classCount ?? classNames?.count ?? (labels.max().map { Int($0) + 1 } ?? 0)
        precondition(labels.allSatisfy { $0 >= 0 && Int($0) < max(inferred, 1) } || labels.isEmpty,
                     "InMemoryDataset.init: labels must lie in 0..<\(inferred)")
        self.features = features
        self.featureShape = featureShape
        self.labelValues = labels
        self.classCount = inferred
        self.classNames = classNames
    }

    public var count: Int { labelValues.count }
    public var labels: [Int32] { labelValues }

    public func label(at index: Int) -> Int32 { labelValues[index] }

    public func copyFeatures(at index: Int, into buffer: UnsafeMutableBufferPointer<Float>) {
        let width = featureCount
        precondition(buffer.count >= width, "InMemoryDataset.copyFeatures: buffer of \(buffer.count) < \(width)")
        features.withUnsafeBufferPointer { src in
            _ = UnsafeMutableBufferPointer(rebasing: buffer[0..<width])
                .initialize(fromContentsOf: UnsafeBufferPointer(rebasing: src[(index * width)..<((index + 1) * width)]))
        }
    }

    /// A copy holding only the examples at `indices`, in that order.
    public func selecting(_ indices: [Int]) -> InMemoryDataset {
        let batch = gather(indices)
        return InMemoryDataset(features: batch.features, featureShape: featureShape, labels: batch.labels,
                               classCount: classCount, classNames: classNames)
    }

    /// The same examples with each one's features viewed as `featureShape` (same element count),
    /// for example `[784]` for an MLP or `[1, 28, 28]` for a CNN.
    public func reshaped(featureShape newShape: [Int]) -> InMemoryDataset {
        precondition(newShape.reduce(1, *) == featureCount,
                     "InMemoryDataset.reshaped: \(featureShape) cannot be viewed as \(newShape)")
        return InMemoryDataset(features: features, featureShape: newShape, labels: labelValues,
                               classCount: classCount, classNames: classNames)
    }

    /// The same labels with new feature values (same count and shape), as preprocessing returns.
    public func replacingFeatures(_ newFeatures: [Float]) -> InMemoryDataset {
        InMemoryDataset(features: newFeatures, featureShape: featureShape, labels: labelValues,
                        classCount: classCount, classNames: classNames)
    }
}
