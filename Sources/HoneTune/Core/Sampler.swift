/// Proposes parameter values for new trials. One file per sampler.
///
/// Like Optuna's `BaseSampler`, a sampler may sample some parameters jointly ("relative"
/// sampling, e.g. multivariate TPE, GP, CMA-ES over the space every finished trial shares)
/// before the objective runs, and the rest one at a time ("independent" sampling) as the
/// objective asks for them.
///
/// Determinism: a sampler must derive all randomness from its seed and the trial number
/// (e.g. `SeededGenerator(seed: seed, stream: UInt64(trial.number) &+ stableHash(name))`),
/// never from hidden mutable state, so that separate `hone ask` processes reproduce the same
/// sequence and never repeat themselves.
public protocol Sampler: Sendable {
    /// The space to sample jointly for `trial`, usually the intersection of the finished
    /// trials' distributions. Return `[:]` for purely independent samplers.
    func relativeSearchSpace(study: StudySnapshot, trial: FrozenTrial) -> [String: Distribution]

    /// Joint internal values for `space` (keys must be a subset of `space`).
    func sampleRelative(study: StudySnapshot, trial: FrozenTrial,
                        space: [String: Distribution]) -> [String: Double]

    /// One internal value for a parameter not covered by relative sampling.
    func sampleIndependent(study: StudySnapshot, trial: FrozenTrial,
                           name: String, distribution: Distribution) -> Double

    /// System attributes to store on `trial` when it starts (e.g. constant-liar points,
    /// CMA-ES generation). Default: none.
    func systemAttributes(study: StudySnapshot, trial: FrozenTrial) -> [String: String]
}

public extension Sampler {
    func relativeSearchSpace(study: StudySnapshot, trial: FrozenTrial) -> [String: Distribution] { [:] }
    func sampleRelative(study: StudySnapshot, trial: FrozenTrial,
                        space: [String: Distribution]) -> [String: Double] { [:] }
    func systemAttributes(study: StudySnapshot, trial: FrozenTrial) -> [String: String] { [:] }
}
