/// A parameter value as the objective sees it (the external representation).
public enum ParamValue: Hashable, Sendable, Codable, CustomStringConvertible {
    case float(Double)
    case int(Int)
    case choice(CategoricalChoice)

    public var description: String {
        switch self {
        case .float(let d): return String(d)
        case .int(let i): return String(i)
        case .choice(let c): return c.description
        }
    }

    /// Converts a sampler's internal value to the external value for `distribution`.
    public init(internal value: Double, distribution: Distribution) {
        switch distribution {
        case .float: self = .float(value)
        case .int: self = .int(Int(value.rounded()))
        case .categorical(let choices): self = .choice(choices[Int(value.rounded())])
        }
    }

    /// The internal (sampler-side) value for `distribution`, or nil if it does not belong to it.
    public func internalValue(in distribution: Distribution) -> Double? {
        switch (self, distribution) {
        case (.float(let d), .float): return d
        case (.int(let i), .int): return Double(i)
        case (.int(let i), .float): return Double(i)
        case (.choice(let c), .categorical(let choices)):
            return choices.firstIndex(of: c).map(Double.init)
        default: return nil
        }
    }
}
