import HoneRandom

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// Helpers shared by the samplers: the intersection search space, uniform draws, and the map
/// between a distribution's internal values and the unit interval.
public enum SamplerSpace {
    /// The parameters every COMPLETE trial shares with the same distribution, minus those
    /// with a single possible value (Optuna's `IntersectionSearchSpace`). Keys are returned in
    /// a stable (sorted) order by ``sortedNames(_:)``.
    public static func intersection(_ study: StudySnapshot, includePruned: Bool = false) -> [String: Distribution] {
        var space: [String: Distribution]? = nil
        for t in study.trials where t.state == .complete || (includePruned && t.state == .pruned) {
            if var s = space {
                for (k, d) in s where t.distributions[k] != d { s[k] = nil }
                space = s
            } else {
                space = t.distributions
            }
            if space?.isEmpty == true { break }
        }
        return (space ?? [:]).filter { !isSingle($0.value) }
    }

    /// Names in the order samplers iterate them (sorted, so every process agrees).
    public static func sortedNames(_ space: [String: Distribution]) -> [String] { space.keys.sorted() }

    /// True when the distribution admits one value only.
    public static func isSingle(_ d: Distribution) -> Bool {
        switch d {
        case let .float(low, high, _, _): return low == high
        case let .int(low, high, _, _): return low == high
        case let .categorical(choices): return choices.count == 1
        }
    }

    /// A uniform draw of an internal value (log-uniform for log distributions).
    public static func uniform(_ d: Distribution, using g: inout SeededGenerator) -> Double {
        fromUnit(g.nextDouble(), d)
    }

    /// Maps u ∈ [0,1) to an internal value: linearly (or in log space) for floats; onto equal
    /// cells for ints, stepped floats and categoricals.
    public static func fromUnit(_ u: Double, _ d: Distribution) -> Double {
        let u = min(max(u, 0), 1)
        switch d {
        case let .float(low, high, log, step):
            if let step {
                let n = Int(((high - low) / step).rounded(.down)) + 1
                let k = min(Int(u * Double(n)), n - 1)
                return min(low + Double(k) * step, high)
            }
            if log {
                return min(max(exp(logE(low) + u * (logE(high) - logE(low))), low), high)
            }
            return min(low + u * (high - low), high)
        case let .int(low, high, log, step):
            if log {
                // Log-uniform over [low − ½, high + ½], then rounded (Optuna's log int).
                let a = logE(Double(low) - 0.5), b = logE(Double(high) + 0.5)
                let v = (exp(a + u * (b - a))).rounded()
                return min(max(v, Double(low)), Double(high))
            }
            let n = (high - low) / step + 1
            let k = min(Int(u * Double(n)), n - 1)
            return Double(low + k * step)
        case let .categorical(choices):
            return Double(min(Int(u * Double(choices.count)), choices.count - 1))
        }
    }

    /// Maps an internal value to [0,1] (the inverse of ``fromUnit(_:_:)`` up to the cell centre).
    public static func toUnit(_ v: Double, _ d: Distribution) -> Double {
        switch d {
        case let .float(low, high, log, step):
            if high == low { return 0.5 }
            if let step {
                let n = Double(Int(((high - low) / step).rounded(.down)) + 1)
                return (((v - low) / step).rounded() + 0.5) / n
            }
            if log { return (logE(v) - logE(low)) / (logE(high) - logE(low)) }
            return (v - low) / (high - low)
        case let .int(low, high, log, step):
            if high == low { return 0.5 }
            if log {
                let a = logE(Double(low) - 0.5), b = logE(Double(high) + 0.5)
                return (logE(v) - a) / (b - a)
            }
            let n = Double((high - low) / step + 1)
            return (((v - Double(low)) / Double(step)).rounded() + 0.5) / n
        case let .categorical(choices):
            return (v + 0.5) / Double(choices.count)
        }
    }

    /// Rounds a continuous internal value onto the distribution's grid and into its bounds.
    public static func snap(_ v: Double, _ d: Distribution) -> Double {
        switch d {
        case let .float(low, high, _, step):
            guard let step else { return min(max(v, low), high) }
            return min(max(low + ((v - low) / step).rounded() * step, low), high)
        case let .int(low, high, _, step):
            let k = ((v - Double(low)) / Double(step)).rounded()
            return min(max(Double(low) + k * Double(step), Double(low)), Double(high))
        case let .categorical(choices):
            return min(max(v.rounded(), 0), Double(choices.count - 1))
        }
    }

    /// ``intersection(_:includePruned:)`` of COMPLETE trials, memoized in a sampler's
    /// ``FinishedTrialCache``.
    static func cachedIntersection(_ cache: FinishedTrialCache, _ study: StudySnapshot) -> [String: Distribution] {
        (cache.intersection(study.trials) ?? [:]).filter { !isSingle($0.value) }
    }

    /// The independent fallback most samplers use: a uniform draw from the stream of
    /// (seed, trial, parameter name), so it does not depend on which other parameters exist.
    static func independentUniform(seed: UInt64, trial: FrozenTrial, name: String, _ d: Distribution) -> Double {
        var g = rng(seed: seed, trial: trial.number, purpose: name)
        return uniform(d, using: &g)
    }

    /// A generator stream for `trial` and a purpose (a parameter name, "relative", …).
    public static func rng(seed: UInt64, trial: Int, purpose: String) -> SeededGenerator {
        SeededGenerator(seed: seed, stream: UInt64(truncatingIfNeeded: trial) &+ stableHash(purpose) &* 0x9E37_79B9)
    }
}

@inline(__always) func logE(_ x: Double) -> Double { log(x) }
