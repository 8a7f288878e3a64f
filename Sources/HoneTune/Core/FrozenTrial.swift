import Foundation

/// Lifecycle of a trial. Transitions: waiting → running → complete | pruned | fail.
public enum TrialState: String, Sendable, Codable, CaseIterable {
    case waiting = "WAITING"
    case running = "RUNNING"
    case complete = "COMPLETE"
    case pruned = "PRUNED"
    case fail = "FAIL"

    public var isFinished: Bool { self == .complete || self == .pruned || self == .fail }
}

/// Whether an objective is minimized or maximized.
public enum StudyDirection: String, Sendable, Codable {
    case minimize, maximize

    /// Converts a value so that smaller is always better.
    @inlinable public func loss(_ v: Double) -> Double { self == .minimize ? v : -v }
}

/// An immutable record of one trial, as stored.
///
/// `params` holds internal values (see ``Distribution``); `externalParams` converts them.
public struct FrozenTrial: Sendable, Codable, Hashable {
    /// Storage-wide unique id.
    public var id: Int64
    /// 0-based number within its study, unique and dense.
    public var number: Int
    public var state: TrialState
    /// One value per study direction; nil until complete (pruned trials may carry their last value).
    public var values: [Double]?
    /// Internal parameter values by name.
    public var params: [String: Double]
    public var distributions: [String: Distribution]
    /// Intermediate values reported through `Trial.report(_:step:)`, by step.
    public var intermediateValues: [Int: Double]
    /// Free-form attributes set by the user.
    public var userAttributes: [String: String]
    /// Attributes set by Hone itself (sampler state, retry provenance, …).
    public var systemAttributes: [String: String]
    public var startedAt: Date?
    public var completedAt: Date?

    public init(id: Int64, number: Int, state: TrialState, values: [Double]? = nil,
                params: [String: Double] = [:], distributions: [String: Distribution] = [:],
                intermediateValues: [Int: Double] = [:], userAttributes: [String: String] = [:],
                systemAttributes: [String: String] = [:], startedAt: Date? = nil, completedAt: Date? = nil) {
        self.id = id; self.number = number; self.state = state; self.values = values
        self.params = params; self.distributions = distributions
        self.intermediateValues = intermediateValues; self.userAttributes = userAttributes
        self.systemAttributes = systemAttributes; self.startedAt = startedAt; self.completedAt = completedAt
    }

    /// The single objective value (first of `values`).
    public var value: Double? { values?.first }

    /// Parameters converted to the values the objective saw.
    public var externalParams: [String: ParamValue] {
        var out: [String: ParamValue] = [:]
        for (k, v) in params { if let d = distributions[k] { out[k] = ParamValue(internal: v, distribution: d) } }
        return out
    }

    /// The last reported intermediate value and its step.
    public var lastStep: Int? { intermediateValues.keys.max() }
}

/// What a sampler or pruner sees of a study: its directions and a snapshot of all trials.
public struct StudySnapshot: Sendable {
    public var name: String
    public var directions: [StudyDirection]
    /// All trials in number order, in any state.
    public var trials: [FrozenTrial]

    public init(name: String, directions: [StudyDirection], trials: [FrozenTrial]) {
        self.name = name; self.directions = directions; self.trials = trials
    }

    public var direction: StudyDirection { directions[0] }

    /// Trials in the given states, in number order.
    public func trials(in states: Set<TrialState>) -> [FrozenTrial] {
        trials.filter { states.contains($0.state) }
    }
}
