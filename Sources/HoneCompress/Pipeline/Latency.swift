import HoneNN
import HoneRandom
import HoneTensor

/// Inference latency of a model: the median wall time of `repeats` forward passes of one
/// random batch (evaluation mode, no gradient), after `warmup` untimed passes.
///
/// ```swift
/// let ms = Latency.milliseconds(model, inputShape: [1, 28, 28], batch: 128)
/// ```
public enum Latency {
    public static func milliseconds(_ model: any Layer, inputShape: [Int], batch: Int, repeats: Int = 21,
                                    warmup: Int = 3, seed: UInt64 = 0) -> Double {
        var g = SeededGenerator(seed: seed)
        let x = Tensor.uniform(shape: [batch] + inputShape, low: 0, high: 1, generator: &g)
        return samples(model, input: x, repeats: repeats, warmup: warmup).median
    }

    /// The individual timings (ms) of `repeats` passes over `input`.
    public static func samples(_ model: any Layer, input: Tensor, repeats: Int, warmup: Int = 3) -> [Double] {
        let wasTraining = model.isTraining
        model.setTraining(false)
        defer { model.setTraining(wasTraining) }
        let clock = ContinuousClock()
        return withoutGradient {
            for _ in 0..<warmup { _ = model(input) }
            return (0..<max(1, repeats)).map { _ in
                let start = clock.now
                _ = model(input)
                let c = (clock.now - start).components
                return (Double(c.seconds) + Double(c.attoseconds) * 1e-18) * 1000
            }
        }
    }
}

extension Array where Element == Double {
    /// The median (0 for an empty array).
    public var median: Double {
        guard !isEmpty else { return 0 }
        let s = sorted()
        return count % 2 == 1 ? s[count / 2] : (s[count / 2 - 1] + s[count / 2]) / 2
    }
}
