import HoneRandom
import HoneTensor

/// A lookup table of `count` vectors of size `dimension` (PyTorch's `nn.Embedding`; weight
/// `[count, dimension]`, initialized N(0, 1) as PyTorch does). Token IDs in, vectors out:
/// `[N, L]` IDs → `[N, L, dimension]`. The gradient is scatter-added into the used rows.
///
/// As a `Layer` the input tensor holds the IDs as whole-number floats; `lookup(_:shape:)` takes
/// integers directly.
///
/// ```swift
/// let emb = Embedding(count: 1000, dimension: 32, seed: 1)
/// let v = emb.lookup([5, 7, 5, 1], shape: [2, 2])   // [2, 2, 32]
/// ```
public final class Embedding: Layer {
    public let count: Int
    public let dimension: Int
    public let weight: Parameter
    public var isTraining = true

    public init(count: Int, dimension: Int, initializer: Initializer = .normal(std: 1),
                generator: inout SeededGenerator) {
        precondition(count > 0 && dimension > 0, "Embedding: count and dimension must be positive, got \(count), \(dimension)")
        self.count = count
        self.dimension = dimension
        weight = Parameter(initializer.make(shape: [count, dimension], generator: &generator))
    }

    public convenience init(count: Int, dimension: Int, initializer: Initializer = .normal(std: 1), seed: UInt64 = 0) {
        var g = SeededGenerator(seed: seed)
        self.init(count: count, dimension: dimension, initializer: initializer, generator: &g)
    }

    public var parameters: [(String, Parameter)] { [("weight", weight)] }

    /// The vectors for `ids` (row-major, of the given `shape`; default `[ids.count]`).
    public func lookup(_ ids: [Int], shape: [Int]? = nil) -> Tensor {
        let s = shape ?? [ids.count]
        precondition(s.reduce(1, *) == ids.count, "Embedding.lookup: shape \(s) does not hold \(ids.count) ids")
        for id in ids where id < 0 || id >= count {
            preconditionFailure("Embedding.lookup: id \(id) is outside 0..<\(count)")
        }
        return weight.value.indexSelect(axis: 0, indices: ids).reshaped(s + [dimension])
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let ids = x.scalars.map { v -> Int in
            precondition(v == v.rounded() && v >= 0 && Int(v) < count, "Embedding: input value \(v) is not an id in 0..<\(count)")
            return Int(v)
        }
        return lookup(ids, shape: x.shape)
    }
}
