/// A Swift type usable as categorical choices: `String`, `Int`, `Double`, `Bool`.
///
/// ```swift
/// let opt: String = try trial.suggestCategorical("opt", ["adam", "sgd"])
/// ```
public protocol CategoricalValue: Hashable, Sendable {
    var categoricalChoice: CategoricalChoice { get }
    init?(categoricalChoice: CategoricalChoice)
}

extension String: CategoricalValue {
    public var categoricalChoice: CategoricalChoice { .string(self) }
    public init?(categoricalChoice c: CategoricalChoice) {
        guard case .string(let s) = c else { return nil }
        self = s
    }
}

extension Int: CategoricalValue {
    public var categoricalChoice: CategoricalChoice { .int(self) }
    public init?(categoricalChoice c: CategoricalChoice) {
        guard case .int(let i) = c else { return nil }
        self = i
    }
}

extension Double: CategoricalValue {
    public var categoricalChoice: CategoricalChoice { .double(self) }
    public init?(categoricalChoice c: CategoricalChoice) {
        guard case .double(let d) = c else { return nil }
        self = d
    }
}

extension Bool: CategoricalValue {
    public var categoricalChoice: CategoricalChoice { .bool(self) }
    public init?(categoricalChoice c: CategoricalChoice) {
        guard case .bool(let b) = c else { return nil }
        self = b
    }
}

extension CategoricalChoice: CategoricalValue {
    public var categoricalChoice: CategoricalChoice { self }
    public init?(categoricalChoice c: CategoricalChoice) { self = c }
}
