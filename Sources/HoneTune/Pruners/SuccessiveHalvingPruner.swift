/// Asynchronous successive halving (ASHA; Li et al. 2020, arXiv:1810.05934), with Optuna's
/// `SuccessiveHalvingPruner` rules.
///
/// Rung k sits at step `r·η^(s+k)` (r = min resource, η = reduction factor, s = min early
/// stopping rate). When a trial reaches a rung, its value there competes with every trial that
/// has reached the same rung; it is promoted (continues) iff it is among the best
/// ⌊n/η⌋ of them — with fewer than η values, only the best continues. A NaN value is pruned.
/// `minResource: nil` ("auto") uses max(⌊largest last step of the COMPLETE trials / 100⌋, 1)
/// and prunes nothing until one trial is COMPLETE.
///
/// Stateless: where Optuna stores each rung value as a system attribute, this pruner
/// recomputes it from intermediate values — a trial's value at rung k is its value at the
/// first reported step ≥ the rung's step, and the rungs a trial has already passed are those
/// at or below its second-to-last reported step — so every worker process reaches the same
/// decision without extra writes. (Assumes `shouldPrune` is called after each report, as
/// usual; a trial whose earlier verdict was ignored is not judged again at passed rungs.)
///
/// ```swift
/// let pruner = SuccessiveHalvingPruner(minResource: 1, reductionFactor: 3)
/// ```
public struct SuccessiveHalvingPruner: Pruner {
    public let minResource: Int?
    public let reductionFactor: Int
    public let minEarlyStoppingRate: Int
    public let bootstrapCount: Int

    public init(minResource: Int? = nil, reductionFactor: Int = 4, minEarlyStoppingRate: Int = 0, bootstrapCount: Int = 0) {
        precondition(minResource.map { $0 >= 1 } ?? true, "SuccessiveHalvingPruner: minResource must be >= 1")
        precondition(reductionFactor >= 2, "SuccessiveHalvingPruner: reductionFactor must be >= 2, got \(reductionFactor)")
        precondition(minEarlyStoppingRate >= 0 && bootstrapCount >= 0,
                     "SuccessiveHalvingPruner: minEarlyStoppingRate and bootstrapCount must be >= 0")
        self.minResource = minResource; self.reductionFactor = reductionFactor
        self.minEarlyStoppingRate = minEarlyStoppingRate; self.bootstrapCount = bootstrapCount
    }

    /// The step of rung `k` for min resource `r`.
    public func rungStep(_ k: Int, minResource r: Int) -> Int {
        var step = r
        for _ in 0..<(minEarlyStoppingRate + k) {
            let (m, overflow) = step.multipliedReportingOverflow(by: reductionFactor)
            if overflow { return Int.max }
            step = m
        }
        return step
    }

    /// Optuna's "auto" min resource, or nil while no trial is COMPLETE.
    static func autoMinResource(_ study: StudySnapshot) -> Int? {
        let last = study.trials(in: [.complete]).compactMap(\.lastStep)
        guard let m = last.max() else { return nil }
        return max(m / 100, 1)
    }

    public func shouldPrune(study: StudySnapshot, trial: FrozenTrial) -> Bool {
        guard let step = trial.lastStep, let value = trial.intermediateValues[step] else { return false }
        guard let r = minResource ?? Self.autoMinResource(study) else { return false }
        let steps = trial.intermediateValues.keys.sorted()
        let secondLast = steps.count > 1 ? steps[steps.count - 2] : -1
        var rung = 0
        while rungStep(rung, minResource: r) <= secondLast { rung += 1 }
        while true {
            let rs = rungStep(rung, minResource: r)
            if step < rs { return false }
            if value.isNaN { return true }
            var competing = [value]
            for t in study.trials where t.number != trial.number {
                if let v = Self.value(of: t, atOrAfter: rs), !v.isNaN { competing.append(v) }
            }
            if competing.count <= bootstrapCount { return true }
            if !Self.isPromotable(value, competing, eta: reductionFactor, direction: study.direction) { return true }
            rung += 1
        }
    }

    /// The trial's intermediate value at the first reported step ≥ `step`.
    static func value(of t: FrozenTrial, atOrAfter step: Int) -> Double? {
        if let v = t.intermediateValues[step] { return v }
        var best: (step: Int, value: Double)?
        for (s, v) in t.intermediateValues where s > step && (best == nil || s < best!.step) { best = (s, v) }
        return best?.value
    }

    /// Optuna's `_is_trial_promotable_to_next_rung`.
    static func isPromotable(_ value: Double, _ competing: [Double], eta: Int, direction: StudyDirection) -> Bool {
        var idx = competing.count / eta - 1
        if idx == -1 { idx = 0 }
        let sorted = competing.sorted()
        return direction == .minimize ? value <= sorted[idx] : value >= sorted[sorted.count - 1 - idx]
    }
}
