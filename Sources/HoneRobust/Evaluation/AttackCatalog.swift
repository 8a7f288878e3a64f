/// Attacks by their command-line / config names, as recipes for any ε.
///
/// ```swift
/// let recipe = try AttackCatalog.recipe("pgd", steps: 50, restarts: 5)
/// let attack = try recipe.make(0.1)
/// ```
public enum AttackCatalog {
    public static let names = ["fgsm", "bim", "pgd", "pgd-l2", "mi-fgsm", "deepfool", "cw-l2", "apgd-ce", "square"]

    /// A recipe for `name`. `steps` is the iteration count (queries for Square); `stepSize`
    /// nil takes each attack's default. Throws for an unknown name or bad settings.
    public static func recipe(_ name: String, steps: Int = 10, stepSize: Float? = nil, restarts: Int = 1,
                              norm: AttackNorm = .linf, range: ClosedRange<Float> = 0...1, targeted: Bool = false,
                              seed: UInt64 = 0) throws -> AttackRecipe {
        guard steps >= 1 else { throw RobustnessError.invalidArgument(name: "steps", value: "\(steps)", expected: "steps ≥ 1") }
        guard restarts >= 1 else {
            throw RobustnessError.invalidArgument(name: "restarts", value: "\(restarts)", expected: "restarts ≥ 1")
        }
        switch name {
        case "fgsm": return AttackRecipe(name) { try FGSM(epsilon: $0, norm: norm, range: range, targeted: targeted) }
        case "bim":
            return AttackRecipe(name) { try BIM.make(epsilon: $0, steps: steps, stepSize: stepSize, norm: norm, range: range, targeted: targeted) }
        case "pgd", "pgd-l2":
            let n: AttackNorm = name == "pgd-l2" ? .l2 : norm
            return AttackRecipe(name) {
                try PGD(epsilon: $0, steps: steps, stepSize: stepSize, restarts: restarts, norm: n, range: range, targeted: targeted, seed: seed)
            }
        case "mi-fgsm":
            return AttackRecipe(name) { try MIFGSM(epsilon: $0, steps: steps, stepSize: stepSize, norm: norm, range: range, targeted: targeted) }
        case "deepfool":
            return AttackRecipe(name) { try DeepFool(epsilon: $0, norm: norm, steps: steps, range: range, targeted: targeted) }
        case "cw-l2":
            return AttackRecipe(name) { try CarliniWagner(epsilon: $0, steps: steps, range: range, targeted: targeted) }
        case "apgd-ce":
            return AttackRecipe(name) { try APGD(epsilon: $0, steps: steps, restarts: restarts, norm: norm, range: range, targeted: targeted, seed: seed) }
        case "square":
            return AttackRecipe(name) { try SquareAttack(epsilon: $0, queries: steps, restarts: restarts, range: range, targeted: targeted, seed: seed) }
        default:
            throw RobustnessError.invalidArgument(name: "attack", value: name, expected: "one of \(names.joined(separator: ", "))")
        }
    }
}
