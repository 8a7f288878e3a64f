/// A view of some examples of another dataset, in the given order, without copying features.
///
/// ```swift
/// let split = try Splits.holdout(labels: train.labels, validationFraction: 0.1, stratified: true, seed: 0)
/// let validation = train.subset(split.validation)   // DatasetSubset<InMemoryDataset>
/// ```
public struct DatasetSubset<Base: Dataset>: Dataset {
    public let base: Base
    public let indices: [Int]

    public init(base: Base, indices: [Int]) {
        precondition(indices.allSatisfy { $0 >= 0 && $0 < base.count },
                     "DatasetSubset.init: an index lies outside 0..<\(base.count)")
        self.base = base
        self.indices = indices
    }

    public var count: Int { indices.count }
    public var featureShape: [Int] { base.featureShape }
    public var classCount: Int { base.classCount }
    public func label(at index: Int) -> Int32 { base.label(at: indices[index]) }
    public func copyFeatures(at index: Int, into buffer: UnsafeMutableBufferPointer<Float>) {
        base.copyFeatures(at: indices[index], into: buffer)
    }
}
