import Foundation
import HoneRandom

/// Independent uniform sampling (Bergstra & Bengio 2012, "Random search for hyper-parameter
/// optimization"). Floats are uniform on [low, high] (log-uniform when `log`), stepped floats
/// and ints are uniform over their grid (log ints: log-uniform on [low − ½, high + ½], then
/// rounded, as Optuna does), categoricals uniform over choices.
///
/// Each value comes from its own stream, `SeededGenerator(seed: seed, stream: hash(name) ^ trial·φ)`,
/// so separate processes asking for the same trial number get the same values, and different
/// trial numbers never share a stream.
///
/// ```swift
/// let study = try Study(name: "s", sampler: RandomSampler(seed: 7))
/// ```
public struct RandomSampler: Sampler {
    public let seed: UInt64

    public init(seed: UInt64 = 0) { self.seed = seed }

    public func sampleIndependent(study: StudySnapshot, trial: FrozenTrial,
                                  name: String, distribution: Distribution) -> Double {
        var g = SeededGenerator(seed: seed, stream: stableHash(name) ^ (UInt64(trial.number) &* 0xD6E8_FEB8_6659_FD93))
        return Self.sample(distribution, using: &g)
    }

    /// One uniform draw from `distribution`, as an internal value.
    public static func sample(_ distribution: Distribution, using g: inout SeededGenerator) -> Double {
        switch distribution {
        case let .float(low, high, log, step):
            if let step {
                let k = Int(((high - low) / step).rounded(.down))
                return Swift.min(high, low + Double(g.int(in: 0...k)) * step)
            }
            if low == high { return low }
            if log { return Swift.min(high, Swift.max(low, Foundation.exp(g.uniform(Foundation.log(low), Foundation.log(high))))) }
            return g.uniform(low, high)
        case let .int(low, high, log, step):
            if log {
                let v = Foundation.exp(g.uniform(Foundation.log(Double(low) - 0.5), Foundation.log(Double(high) + 0.5)))
                return Double(Swift.min(high, Swift.max(low, Int(v.rounded()))))
            }
            return Double(low + g.int(in: 0...((high - low) / step)) * step)
        case let .categorical(choices):
            return Double(g.int(in: 0...(choices.count - 1)))
        }
    }
}
