/// A value a categorical parameter can take.
public enum CategoricalChoice: Hashable, Sendable, Codable, CustomStringConvertible {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)

    public var description: String {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return String(b)
        }
    }
}

/// The domain of one hyperparameter.
///
/// Samplers work on the *internal representation*: a `Double` for every kind. Floats and
/// ints are their own value; a categorical is the index of the choice.
///
/// ```swift
/// let lr = Distribution.float(low: 1e-5, high: 1e-1, log: true, step: nil)
/// let layers = Distribution.int(low: 1, high: 4, log: false, step: 1)
/// let opt = Distribution.categorical(choices: [.string("adam"), .string("sgd")])
/// ```
public enum Distribution: Hashable, Sendable, Codable {
    case float(low: Double, high: Double, log: Bool, step: Double?)
    case int(low: Int, high: Int, log: Bool, step: Int)
    case categorical(choices: [CategoricalChoice])

    /// True when the internal value is an index into `choices`.
    public var isCategorical: Bool {
        if case .categorical = self { return true }
        return false
    }

    /// True when the internal value should be modelled in log space.
    public var isLog: Bool {
        switch self {
        case .float(_, _, let log, _), .int(_, _, let log, _): return log
        case .categorical: return false
        }
    }

    /// Whether `internal` is a value this distribution can produce.
    public func contains(_ value: Double) -> Bool {
        switch self {
        case let .float(low, high, _, step):
            guard value >= low && value <= high else { return false }
            if let step { let k = ((value - low) / step).rounded(); return abs(low + k * step - value) < 1e-8 * max(1, abs(value)) }
            return true
        case let .int(low, high, _, step):
            guard value == value.rounded(), value >= Double(low), value <= Double(high) else { return false }
            return (Int(value) - low) % step == 0
        case let .categorical(choices):
            return value == value.rounded() && value >= 0 && Int(value) < choices.count
        }
    }

    /// Number of distinct values, or nil for continuous floats.
    public var cardinality: Int? {
        switch self {
        case let .float(low, high, _, step):
            guard let step else { return nil }
            return Int(((high - low) / step).rounded(.down)) + 1
        case let .int(low, high, _, step): return (high - low) / step + 1
        case let .categorical(choices): return choices.count
        }
    }
}
