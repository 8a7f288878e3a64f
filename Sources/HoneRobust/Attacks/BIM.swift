/// The Basic Iterative Method (Kurakin, Goodfellow & Bengio, "Adversarial Examples in the
/// Physical World", ICLR workshop 2017): iterated FGSM with step α, clipped to the ε-ball after
/// every step, starting at the clean input. It is ``PGD`` without the random start; the default
/// α = ε/steps follows the paper's α·steps = ε budget.
///
/// ```swift
/// let bim = try BIM.make(epsilon: 0.1, steps: 10)
/// ```
public enum BIM {
    public static func make(epsilon: Float, steps: Int = 10, stepSize: Float? = nil, norm: AttackNorm = .linf,
                            range: ClosedRange<Float> = 0...1, targeted: Bool = false) throws -> PGD {
        guard steps >= 1 else { throw RobustnessError.invalidArgument(name: "steps", value: "\(steps)", expected: "steps ≥ 1") }
        return try PGD(epsilon: epsilon, steps: steps, stepSize: stepSize ?? epsilon / Float(steps), restarts: 1, norm: norm,
                       randomStart: false, range: range, targeted: targeted)
    }
}
