/// Errors thrown by studies, trials, storages and the `hone ask`/`tell` front end.
///
/// Every case names the field or object at fault and what was expected, so that a message can
/// be shown to a user as is:
///
/// ```swift
/// do { _ = try trial.suggestFloat("lr", 0...1, log: true) }
/// catch let e as TuneError { print(e) }   // parameter 'lr': log scale needs low > 0, got low = 0.0
/// ```
public enum TuneError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A distribution passed to `suggest…` or found in a SPACE is not valid.
    case invalidDistribution(param: String, reason: String)
    /// The same parameter name was suggested twice in one trial with different distributions.
    case distributionConflict(param: String, existing: Distribution, requested: Distribution)
    /// A SPACE document (JSON) is malformed; `field` is a dotted path such as `x.low`.
    case invalidSpace(field: String, reason: String)
    /// No trial with this number exists in the study.
    case unknownTrial(study: String, number: Int)
    /// The trial is already finished (or waiting) and cannot be changed.
    case trialNotRunning(study: String, number: Int, state: TrialState)
    /// `tell` got a number of values that differs from the number of study directions.
    case wrongValueCount(study: String, expected: Int, got: Int)
    /// An existing study was opened with different directions.
    case directionMismatch(study: String, stored: [StudyDirection], requested: [StudyDirection])
    /// An existing study was opened with a different setting (sampler, seed, …).
    case settingMismatch(study: String, field: String, stored: String, requested: String)
    /// No study of this name is stored.
    case studyNotFound(String)
    /// A sampler name that the registry does not know.
    case unknownSampler(name: String, valid: [String])
    /// A storage URL that cannot be opened.
    case invalidStorageURL(url: String, reason: String)
    /// A value passed on the command line or to an API is invalid.
    case invalidArgument(field: String, reason: String)
    /// An operation that needs a completed trial found none.
    case noCompletedTrials(study: String)
    /// A single-objective accessor (e.g. `bestTrial`) was used on a multi-objective study.
    case multiObjective(study: String, operation: String)
    /// The database reported an error.
    case storage(path: String, message: String)

    public var description: String {
        switch self {
        case let .invalidDistribution(p, r): return "parameter '\(p)': \(r)"
        case let .distributionConflict(p, a, b):
            return "parameter '\(p)': already suggested with distribution \(a), now requested with \(b)"
        case let .invalidSpace(f, r): return "SPACE field '\(f)': \(r)"
        case let .unknownTrial(s, n): return "study '\(s)': no trial number \(n)"
        case let .trialNotRunning(s, n, st):
            return "study '\(s)': trial \(n) is \(st.rawValue), not RUNNING; nothing was changed"
        case let .wrongValueCount(s, e, g):
            return "study '\(s)': expected \(e) value(s), one per direction, got \(g)"
        case let .directionMismatch(s, a, b):
            return "study '\(s)': stored direction(s) \(a.map(\.rawValue).joined(separator: ",")) "
                + "disagree with requested \(b.map(\.rawValue).joined(separator: ",")); study unchanged"
        case let .settingMismatch(s, f, a, b):
            return "study '\(s)': stored \(f) '\(a)' disagrees with requested '\(b)'; study unchanged"
        case let .studyNotFound(s): return "no study named '\(s)' in this storage"
        case let .unknownSampler(n, v): return "unknown sampler '\(n)'; valid samplers: \(v.joined(separator: ", "))"
        case let .invalidStorageURL(u, r): return "storage '\(u)': \(r)"
        case let .invalidArgument(f, r): return "\(f): \(r)"
        case let .noCompletedTrials(s): return "study '\(s)' has no COMPLETE trial yet"
        case let .multiObjective(s, op):
            return "study '\(s)' has several directions; \(op) needs a single objective (use bestTrials)"
        case let .storage(p, m): return "storage '\(p)': \(m)"
        }
    }
}

/// Throw this from an objective to stop the trial early and mark it PRUNED.
///
/// ```swift
/// trial.report(loss, step: epoch)
/// if try trial.shouldPrune() { throw TrialPruned() }
/// ```
public struct TrialPruned: Error, Sendable, Equatable {
    public let message: String
    public init(_ message: String = "trial was pruned") { self.message = message }
}
