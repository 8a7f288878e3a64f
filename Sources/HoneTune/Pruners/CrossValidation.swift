/// Runs a k-fold cross-validation objective fold by fold, reporting each fold's score as the
/// intermediate value at step = fold index and asking the study's pruner after each fold, so
/// a bad configuration stops after its first folds. Returns the mean score.
///
/// Fold scores (not running means) are reported: fold i uses the same split in every trial,
/// so a pruner compares like with like at each step.
///
/// ```swift
/// try study.optimize(trials: 50) { trial in
///     let c = try trial.suggestFloat("C", 1e-3...1e3, log: true)
///     return try CrossValidation.run(trial, folds: 5) { fold in try score(c, fold) }
/// }
/// ```
public enum CrossValidation {
    public static func run(_ trial: Trial, folds: Int, score: (Int) throws -> Double) throws -> Double {
        guard folds >= 1 else { throw TuneError.invalidArgument(field: "folds", reason: "must be >= 1, got \(folds)") }
        var sum = 0.0
        for fold in 0..<folds {
            let s = try score(fold)
            sum += s
            try trial.report(s, step: fold)
            if fold < folds - 1, try trial.shouldPrune() {
                throw TrialPruned("pruned after fold \(fold) of \(folds)")
            }
        }
        return sum / Double(folds)
    }
}
