import HoneTune

/// Supplies a value for a named hyperparameter: a study's trial, or a fixed assignment.
public protocol ParameterSource {
    func value(for name: String, in distribution: Distribution) throws -> ParamValue
}

/// A value type a config field can hold, fixed or searched.
public protocol TunableValue: Hashable, Sendable {
    static var typeName: String { get }
    static func read(_ node: YAMLNode) throws -> Self
    init?(_ value: ParamValue)
    var choice: CategoricalChoice { get }
}

extension Double: TunableValue {
    public static var typeName: String { "a number" }
    public static func read(_ node: YAMLNode) throws -> Double { try node.double() }
    public init?(_ v: ParamValue) {
        switch v {
        case .float(let d): self = d
        case .int(let i): self = Double(i)
        case .choice(.double(let d)): self = d
        case .choice(.int(let i)): self = Double(i)
        default: return nil
        }
    }
    public var choice: CategoricalChoice { .double(self) }
}

extension Int: TunableValue {
    public static var typeName: String { "an integer" }
    public static func read(_ node: YAMLNode) throws -> Int { try node.int() }
    public init?(_ v: ParamValue) {
        switch v {
        case .int(let i), .choice(.int(let i)): self = i
        default: return nil
        }
    }
    public var choice: CategoricalChoice { .int(self) }
}

extension String: TunableValue {
    public static var typeName: String { "a string" }
    public static func read(_ node: YAMLNode) throws -> String { try node.string() }
    public init?(_ v: ParamValue) {
        guard case .choice(.string(let s)) = v else { return nil }
        self = s
    }
    public var choice: CategoricalChoice { .string(self) }
}

extension Bool: TunableValue {
    public static var typeName: String { "true or false" }
    public static func read(_ node: YAMLNode) throws -> Bool { try node.bool() }
    public init?(_ v: ParamValue) {
        guard case .choice(.bool(let b)) = v else { return nil }
        self = b
    }
    public var choice: CategoricalChoice { .bool(self) }
}

/// A config value that is either fixed or a search range the tuner explores.
///
/// In YAML: a plain value (`lr: 0.001`), a range (`lr: {low: 1e-4, high: 1e-1, log: true}`,
/// optional `step`), or a list of choices (`optimizer: {choices: [adam, sgd]}`).
///
/// ```swift
/// let lr: Tunable<Double> = .search(.float(low: 1e-4, high: 0.1, log: true, step: nil))
/// let value = try lr.resolve("training.learning_rate", from: trial)
/// ```
public enum Tunable<Value: TunableValue>: Hashable, Sendable {
    case fixed(Value)
    case search(Distribution)

    public var isSearched: Bool { if case .search = self { return true }; return false }

    /// The value for this trial: the fixed value, or the one `source` picks for `name`.
    public func resolve(_ name: String, from source: any ParameterSource) throws -> Value {
        switch self {
        case .fixed(let v): return v
        case .search(let d):
            let pv = try source.value(for: name, in: d)
            guard let v = Value(pv) else {
                throw ConfigError(file: "", line: nil, column: nil, path: name,
                                  message: "the tuner gave \(pv), expected \(Value.typeName)")
            }
            return v
        }
    }

    /// Reads a fixed value, range or choice list; `check` validates every possible value or
    /// bound and returns a message describing what is expected when one is out of bounds.
    public static func read(_ node: YAMLNode, check: (Value) -> String? = { _ in nil }) throws -> Tunable<Value> {
        func validated(_ v: Value, _ at: YAMLNode) throws -> Value {
            if let problem = check(v) { throw at.error(problem) }
            return v
        }
        guard node.isMapping else { return .fixed(try validated(try Value.read(node), node)) }
        let keys = try node.keys()
        if keys.contains("choices") {
            try node.checkKeys(["choices"])
            let list = try node.child("choices")!.elements()
            guard !list.isEmpty else { throw node.error("choices must not be empty") }
            let values = try list.map { try validated(try Value.read($0), $0) }
            guard Set(values).count == values.count else { throw node.error("choices must be distinct") }
            return .search(.categorical(choices: values.map(\.choice)))
        }
        try node.checkKeys(["low", "high", "log", "step"])
        guard let lowNode = try node.child("low"), let highNode = try node.child("high") else {
            throw node.error("expected \(Value.typeName), a range {low, high, log, step}, or {choices: [...]}")
        }
        let log = try node.child("log")?.bool() ?? false
        switch Value.self {
        case is Double.Type:
            let low = try lowNode.double(), high = try highNode.double()
            _ = try validated(Value(ParamValue.float(low))!, lowNode); _ = try validated(Value(ParamValue.float(high))!, highNode)
            let step = try node.child("step")?.double()
            try checkRange(node, low, high, log: log, step: step)
            return .search(.float(low: low, high: high, log: log, step: step))
        case is Int.Type:
            let low = try lowNode.int(), high = try highNode.int()
            _ = try validated(Value(ParamValue.int(low))!, lowNode); _ = try validated(Value(ParamValue.int(high))!, highNode)
            let step = try node.child("step")?.int() ?? 1
            try checkRange(node, Double(low), Double(high), log: log, step: Double(step))
            if log && step != 1 { throw node.error("an integer range cannot have both log: true and a step") }
            return .search(.int(low: low, high: high, log: log, step: step))
        default:
            throw node.error("expected \(Value.typeName) or {choices: [...]}; ranges apply to numbers only")
        }
    }

    static func checkRange(_ node: YAMLNode, _ low: Double, _ high: Double, log: Bool, step: Double?) throws {
        guard low < high else { throw node.error("low (\(low)) must be less than high (\(high))") }
        if log && low <= 0 { throw node.error("a log range needs low > 0, got \(low)") }
        if let step, step <= 0 { throw node.error("step must be positive, got \(step)") }
    }
}

/// Reads an optional tunable child with a default.
extension YAMLNode {
    public func tunable<V: TunableValue>(_ key: String, default value: Tunable<V>,
                                         check: (V) -> String? = { _ in nil }) throws -> Tunable<V> {
        guard let c = try child(key), !c.isNull else { return value }
        return try Tunable<V>.read(c, check: check)
    }
}

/// A study's trial picks searched values through its sampler (define-by-run).
extension Trial: ParameterSource {
    public func value(for name: String, in distribution: Distribution) throws -> ParamValue {
        ParamValue(internal: try suggest(name, distribution), distribution: distribution)
    }
}
