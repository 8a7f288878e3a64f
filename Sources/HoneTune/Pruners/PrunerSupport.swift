/// Helpers shared by the pruners, following Optuna's `optuna/pruners/_percentile.py`.
enum PrunerSupport {
    /// True when `step` is the first reported step at or after the latest pruning checkpoint
    /// (`warmup + k·interval`), i.e. the second-to-last reported step lies before it.
    static func isFirstInIntervalStep(_ step: Int, steps: some Collection<Int>, warmup: Int, interval: Int) -> Bool {
        let nearestLowerPruningStep = (step - warmup) / interval * interval + warmup
        let sorted = steps.sorted()
        let secondLast = sorted.count > 1 ? sorted[sorted.count - 2] : -1
        return secondLast < nearestLowerPruningStep
    }

    /// NumPy's `nanpercentile` with linear interpolation; nil when every value is NaN.
    static func percentile(_ values: [Double], _ q: Double) -> Double? {
        let v = values.filter { !$0.isNaN }.sorted()
        guard !v.isEmpty else { return nil }
        let pos = q / 100 * Double(v.count - 1)
        let lo = Int(pos.rounded(.down)), hi = Int(pos.rounded(.up))
        return v[lo] + (v[hi] - v[lo]) * (pos - Double(lo))
    }

    /// The best of a trial's intermediate values ignoring NaN, or NaN if all are NaN.
    static func bestIntermediate(_ t: FrozenTrial, _ direction: StudyDirection) -> Double {
        let v = t.intermediateValues.values.filter { !$0.isNaN }
        guard !v.isEmpty else { return .nan }
        return direction == .minimize ? v.min()! : v.max()!
    }
}
