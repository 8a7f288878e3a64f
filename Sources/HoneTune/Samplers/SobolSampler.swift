/// Quasi-random search with a scrambled Sobol sequence (``SobolSequence``): trial number i
/// gets point i of the sequence over the intersection search space (sorted parameter names),
/// mapped onto each distribution by ``SamplerSpace/fromUnit(_:_:)`` (log space for log
/// parameters; equal cells for integers, steps and categoricals). Parameters outside that
/// space — including every parameter of the first trial, before any trial has completed — are
/// sampled at random. Scrambling (on by default, seeded) avoids Optuna's unscrambled default
/// whose first point is every lower bound. Up to 128 dimensions.
///
/// ```swift
/// let study = try Study(name: "qmc", sampler: SobolSampler(seed: 5))
/// ```
public struct SobolSampler: Sampler {
    public var seed: UInt64
    public var scramble: Bool
    let cache = FinishedTrialCache()

    public init(seed: UInt64 = 0, scramble: Bool = true) { self.seed = seed; self.scramble = scramble }

    public func relativeSearchSpace(study: StudySnapshot, trial: FrozenTrial) -> [String: Distribution] {
        let s = (cache.intersection(study.trials) ?? [:]).filter { !SamplerSpace.isSingle($0.value) }
        return s.count <= SobolSequence.maxDimensions ? s : [:]
    }

    public func sampleRelative(study: StudySnapshot, trial: FrozenTrial,
                               space: [String: Distribution]) -> [String: Double] {
        if space.isEmpty { return [:] }
        let names = SamplerSpace.sortedNames(space)
        let seq = SobolSequence(dimensions: names.count, scrambleSeed: scramble ? seed : nil)
        let u = seq.point(trial.number)
        var out: [String: Double] = [:]
        for (j, name) in names.enumerated() { out[name] = SamplerSpace.fromUnit(u[j], space[name]!) }
        return out
    }

    public func sampleIndependent(study: StudySnapshot, trial: FrozenTrial,
                                  name: String, distribution: Distribution) -> Double {
        var g = SamplerSpace.rng(seed: seed, trial: trial.number, purpose: name)
        return SamplerSpace.uniform(distribution, using: &g)
    }
}
