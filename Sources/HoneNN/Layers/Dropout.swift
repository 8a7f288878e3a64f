import HoneRandom
import HoneTensor

/// Inverted dropout (Srivastava et al., JMLR 2014): in training, each element is zeroed with
/// probability `rate` and the survivors are scaled by 1/(1 − rate); in evaluation it is the
/// identity. The layer owns a `SeededGenerator`, so the masks are the same on every run with
/// the same seed.
///
/// ```swift
/// let drop = Dropout(rate: 0.5, seed: 7)
/// drop.isTraining = false          // identity at inference
/// ```
public final class Dropout: Layer {
    public let rate: Float
    /// The seed the mask generator started from (saved in the architecture).
    public let seed: UInt64
    public var isTraining = true
    public var generator: SeededGenerator

    public init(rate: Float = 0.5, seed: UInt64 = 0) {
        precondition(rate >= 0 && rate < 1, "Dropout: rate must be in [0, 1), got \(rate)")
        self.rate = rate
        self.seed = seed
        generator = SeededGenerator(seed: seed, stream: stableHash("Dropout"))
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        guard isTraining, rate > 0 else { return x }
        let keep = 1 - rate, scale = 1 / keep
        var mask = [Float](repeating: 0, count: x.count)
        for i in mask.indices where generator.nextFloat() < keep { mask[i] = scale }
        return x * Tensor(shape: x.shape, scalars: mask)
    }
}
