/// `robustness:` — adversarial training and the robustness evaluation run after training.
///
/// ```yaml
/// robustness:
///   adversarial: fgsm-rs      # none | fgsm-rs | pgd | trades | fgsm
///   eps: 0.1                  # L∞ budget, pixels in [0, 1]
///   steps: 10                 # PGD-AT / TRADES inner steps
///   step_size: 0.025          # default: 1.25·eps for fgsm-rs, 2.5·eps/steps otherwise
///   beta: 6.0                 # TRADES
///   warmup_epochs: 1          # linear eps ramp
///   early_stopping: true      # fgsm-rs: stop on a PGD-check collapse (Wong et al. 2020)
///   noise_std: 0.0            # Gaussian-noise augmentation
///   evaluate:
///     attacks: [fgsm, pgd, apgd-ce, square]
///     eps: [0.05, 0.1]
///     steps: 50
///     restarts: 5
///     samples: 1000
/// ```
public struct RobustnessSection: Hashable, Sendable {
    public static let methods = ["none", "fgsm-rs", "pgd", "trades", "fgsm"]
    public static let attacks = ["fgsm", "bim", "pgd", "pgd-l2", "mi-fgsm", "deepfool", "cw-l2", "apgd-ce", "square"]

    public var adversarial = "none"
    public var eps = 0.1
    public var steps = 10
    public var stepSize: Double?
    public var beta = 6.0
    public var warmupEpochs = 0.0
    public var earlyStopping = true
    public var noiseStd = 0.0
    public var evaluate = EvaluateSection()

    /// `robustness.evaluate:` — which attacks, budgets and sample count the evaluation uses.
    public struct EvaluateSection: Hashable, Sendable {
        public var attacks = ["fgsm", "pgd"]
        public var eps: [Double] = [0.1]
        public var steps = 50
        public var restarts = 1
        public var samples = 1000
        public init() {}
    }

    public init() {}

    /// Reads and validates the section; errors name the file, line and field path.
    public init(_ n: YAMLNode) throws {
        try n.checkKeys(["adversarial", "eps", "steps", "step_size", "beta", "warmup_epochs", "early_stopping",
                         "noise_std", "evaluate"])
        if let v = try n.child("adversarial") { adversarial = try v.oneOf(Self.methods) }
        if let v = try n.child("eps") {
            eps = try v.double()
            guard eps >= 0 && eps.isFinite else { throw v.error("expected eps ≥ 0, got \(eps)") }
        }
        if let v = try n.child("steps") {
            steps = try v.int()
            guard steps >= 1 else { throw v.error("expected steps ≥ 1, got \(steps)") }
        }
        if let v = try n.child("step_size") {
            let s = try v.double()
            guard s > 0 && s.isFinite else { throw v.error("expected a step size > 0, got \(s)") }
            stepSize = s
        }
        if let v = try n.child("beta") {
            beta = try v.double()
            guard beta >= 0 && beta.isFinite else { throw v.error("expected beta ≥ 0, got \(beta)") }
        }
        if let v = try n.child("warmup_epochs") {
            warmupEpochs = try v.double()
            guard warmupEpochs >= 0 else { throw v.error("expected warmup_epochs ≥ 0, got \(warmupEpochs)") }
        }
        if let v = try n.child("early_stopping") { earlyStopping = try v.bool() }
        if let v = try n.child("noise_std") {
            noiseStd = try v.double()
            guard noiseStd >= 0 && noiseStd.isFinite else { throw v.error("expected noise_std ≥ 0, got \(noiseStd)") }
        }
        if let e = try n.child("evaluate"), !e.isNull {
            try e.checkKeys(["attacks", "eps", "steps", "restarts", "samples"])
            if let v = try e.child("attacks") {
                guard v.isSequence else { throw v.error("expected a list of attacks, e.g. [fgsm, pgd]") }
                evaluate.attacks = try v.elements().map { try $0.oneOf(Self.attacks) }
                guard !evaluate.attacks.isEmpty else { throw v.error("expected at least one attack") }
            }
            if let v = try e.child("eps") {
                let list = v.isSequence ? try v.elements() : [v]
                evaluate.eps = try list.map { item in
                    let x = try item.double()
                    guard x >= 0 && x.isFinite else { throw item.error("expected eps ≥ 0, got \(x)") }
                    return x
                }
                guard !evaluate.eps.isEmpty else { throw v.error("expected at least one eps") }
            }
            if let v = try e.child("steps") {
                evaluate.steps = try v.int()
                guard evaluate.steps >= 1 else { throw v.error("expected steps ≥ 1, got \(evaluate.steps)") }
            }
            if let v = try e.child("restarts") {
                evaluate.restarts = try v.int()
                guard evaluate.restarts >= 1 else { throw v.error("expected restarts ≥ 1, got \(evaluate.restarts)") }
            }
            if let v = try e.child("samples") {
                evaluate.samples = try v.int()
                guard evaluate.samples >= 1 else { throw v.error("expected samples ≥ 1, got \(evaluate.samples)") }
            }
        }
    }
}

extension HoneConfig {
    /// The parsed `robustness:` section (defaults when absent).
    public func robustnessSection() throws -> RobustnessSection {
        guard let n = robustness else { return RobustnessSection() }
        return try RobustnessSection(n)
    }
}
