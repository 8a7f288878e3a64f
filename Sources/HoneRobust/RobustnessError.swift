/// Errors that attacks, adversarial training and robustness evaluation throw on a user's bad
/// input, each naming the setting and what was expected.
///
/// ```swift
/// do { _ = try PGD(epsilon: -0.1, steps: 10) }
/// catch let e as RobustnessError { print(e) }  // "invalid eps -0.1: expected eps ≥ 0"
/// ```
public enum RobustnessError: Error, CustomStringConvertible, Equatable {
    /// A setting out of range (`name` is the API argument, CLI flag or config field path).
    case invalidArgument(name: String, value: String, expected: String)
    /// A targeted attack was asked for without target labels.
    case missingTargets(attack: String)
    /// The model gives no gradient with respect to its input (e.g. it runs under no-grad, or its
    /// first layer is an embedding lookup or a quantized layer).
    case noInputGradient(model: String)
    /// A model or data file could not be read.
    case badFile(path: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidArgument(name, value, expected):
            return "invalid \(name) \(value): expected \(expected)"
        case let .missingTargets(attack):
            return "\(attack): a targeted attack needs target labels (one per input)"
        case let .noInputGradient(model):
            return "\(model) has no gradient with respect to its input; gradient attacks need a differentiable model"
        case let .badFile(path, reason):
            return "\(path): \(reason)"
        }
    }
}
