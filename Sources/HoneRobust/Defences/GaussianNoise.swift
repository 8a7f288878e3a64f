import HoneNN
import HoneRandom
import HoneTensor
import HoneTrain

/// Gaussian-noise augmentation as a `fit` callback: every training batch becomes
/// clamp(x + N(0, σ²)) in the valid range (the noise training of Lecuyer et al. 2019 and Cohen
/// et al. 2019's randomized smoothing; also the input-denoiser's training corruption). Seeded.
///
/// ```swift
/// try fit(model, optimizer: opt, data: train, epochs: 5, batchSize: 128,
///         callbacks: [try GaussianNoiseAugmentation(std: 0.1, seed: 3)])
/// ```
public final class GaussianNoiseAugmentation: Callback {
    public let std: Float
    public let range: ClosedRange<Float>
    private var generator: SeededGenerator

    public init(std: Float, range: ClosedRange<Float> = 0...1, seed: UInt64 = 0) throws {
        guard std >= 0, std.isFinite else {
            throw RobustnessError.invalidArgument(name: "noise_std", value: "\(std)", expected: "a finite std ≥ 0")
        }
        self.std = std; self.range = range
        generator = SeededGenerator(seed: seed, stream: stableHash("gaussian-noise"))
    }

    /// `x` plus seeded Gaussian noise, clamped into the range.
    public func corrupt(_ x: Tensor) -> Tensor {
        var v = x.scalars
        for i in v.indices { v[i] = min(max(v[i] + std * Float(generator.normal()), range.lowerBound), range.upperBound) }
        return Tensor(shape: x.shape, scalars: v)
    }

    public func batchWillBegin(_ batch: Int, inputs: Tensor, labels: [Int32], state: TrainingState) throws -> Tensor {
        std > 0 ? corrupt(inputs) : inputs
    }
}
