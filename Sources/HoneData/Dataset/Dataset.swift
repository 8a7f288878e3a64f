/// A finite, indexable collection of labelled examples with a fixed feature shape: the one
/// protocol every data source implements (in memory, a lazy subset, a user's own source).
///
/// Only `count`, `featureShape`, `label(at:)` and `copyFeatures(at:into:)` are required; batches,
/// single examples and label lists come from the extension.
///
/// ```swift
/// let data: some Dataset = try FashionMNIST.load(directory: dir, split: .test)
/// let batch = data.gather([0, 1, 2])   // batch.shape == [3, 28, 28], batch.labels.count == 3
/// ```
public protocol Dataset: Sendable {
    /// Number of examples.
    var count: Int { get }
    /// The shape of one example's features (for example `[28, 28]` or `[3, 32, 32]`).
    var featureShape: [Int] { get }
    /// Number of classes (labels lie in `0..<classCount`).
    var classCount: Int { get }
    /// The class label of example `index`.
    func label(at index: Int) -> Int32
    /// Writes example `index`'s features (C order, `featureCount` values) into `buffer`.
    func copyFeatures(at index: Int, into buffer: UnsafeMutableBufferPointer<Float>)
}

/// One example: its features (flattened, C order) and its label.
public struct Example: Sendable, Equatable {
    public var features: [Float]
    public var label: Int32
}

extension Dataset {
    /// Number of feature values per example (the product of `featureShape`).
    public var featureCount: Int { featureShape.reduce(1, *) }

    /// Every label, in example order.
    public var labels: [Int32] { (0..<count).map { label(at: $0) } }

    /// Example `index`, copied out.
    public func example(at index: Int) -> Example {
        precondition(index >= 0 && index < count, "Dataset.example: index \(index) out of range 0..<\(count)")
        let features = [Float](unsafeUninitializedCapacity: featureCount) { buffer, n in
            copyFeatures(at: index, into: buffer)
            n = featureCount
        }
        return Example(features: features, label: label(at: index))
    }

    /// The examples at `indices`, stacked into one batch of shape `[indices.count] + featureShape`.
    public func gather(_ indices: [Int]) -> Batch {
        let width = featureCount
        let features = [Float](unsafeUninitializedCapacity: indices.count * width) { buffer, n in
            for (row, index) in indices.enumerated() {
                precondition(index >= 0 && index < count, "Dataset.gather: index \(index) out of range 0..<\(count)")
                copyFeatures(at: index, into: UnsafeMutableBufferPointer(rebasing: buffer[(row * width)..<((row + 1) * width)]))
            }
            n = indices.count * width
        }
        return Batch(features: features, shape: [indices.count] + featureShape,
                     labels: indices.map { label(at: $0) }, indices: indices)
    }

    /// A view of the examples at `indices` (no copy), for splits and folds.
    public func subset(_ indices: [Int]) -> DatasetSubset<Self> { DatasetSubset(base: self, indices: indices) }

    /// Number of examples of each class, indexed by label.
    public func classHistogram() -> [Int] {
        var histogram = [Int](repeating: 0, count: classCount)
        for i in 0..<count {
            let l = Int(label(at: i))
            if l >= 0 && l < classCount { histogram[l] += 1 }
        }
        return histogram
    }
}
