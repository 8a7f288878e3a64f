/// One robust-accuracy figure with every setting it depends on.
public struct RobustEntry: Sendable, Codable, Equatable {
    public var attack: String
    public var norm: String
    public var eps: Double
    public var steps: Int
    public var stepSize: Double
    public var restarts: Int
    public var samples: Int
    public var robustAccuracy: Double
    public var seconds: Double

    public init(attack: String, norm: String, eps: Double, steps: Int, stepSize: Double, restarts: Int, samples: Int,
                robustAccuracy: Double, seconds: Double) {
        self.attack = attack; self.norm = norm; self.eps = eps; self.steps = steps; self.stepSize = stepSize
        self.restarts = restarts; self.samples = samples; self.robustAccuracy = robustAccuracy; self.seconds = seconds
    }

    enum CodingKeys: String, CodingKey {
        case attack, norm, eps, steps, restarts, samples, seconds
        case stepSize = "step_size", robustAccuracy = "robust_accuracy"
    }
}

/// A sanity check that fired: the evaluation may be overstating robustness.
public struct SanityWarning: Sendable, Codable, Equatable, CustomStringConvertible {
    /// Which check: `eps_monotone`, `unbounded_eps`, `iterative_vs_fgsm`, `black_box_beats_white_box`,
    /// `vanishing_gradient`, `single_step_above_clean`.
    public var check: String
    public var message: String
    public var description: String { "WARNING [\(check)] \(message)" }

    public init(check: String, message: String) { self.check = check; self.message = message }
}

/// The result of ``RobustnessEvaluator/evaluate(_:inputs:labels:)``.
public struct RobustnessResult: Sendable, Codable, Equatable {
    public var samples: Int
    public var cleanAccuracy: Double
    /// Per attack and ε.
    public var entries: [RobustEntry]
    /// Per ε: the fraction of samples classified correctly clean and under every attack
    /// (the per-sample worst case over attacks).
    public var worstCase: [WorstCaseEntry]
    /// Extra figures the sanity checks measured (reference FGSM, unbounded PGD, Square, gradients).
    public var sanityFigures: [RobustEntry]
    /// Fraction of samples whose input gradient was (near) zero at the clean input and at a
    /// random point of the ε-ball.
    public var zeroGradientFraction: Double?
    public var warnings: [SanityWarning]

    public init(samples: Int, cleanAccuracy: Double, entries: [RobustEntry], worstCase: [WorstCaseEntry],
                sanityFigures: [RobustEntry], zeroGradientFraction: Double?, warnings: [SanityWarning]) {
        self.samples = samples; self.cleanAccuracy = cleanAccuracy; self.entries = entries; self.worstCase = worstCase
        self.sanityFigures = sanityFigures; self.zeroGradientFraction = zeroGradientFraction; self.warnings = warnings
    }

    public struct WorstCaseEntry: Sendable, Codable, Equatable {
        public var eps: Double
        public var robustAccuracy: Double
        public var attacks: [String]
        enum CodingKeys: String, CodingKey { case eps, attacks; case robustAccuracy = "robust_accuracy" }
    }

    enum CodingKeys: String, CodingKey {
        case samples, entries, warnings
        case cleanAccuracy = "clean_accuracy", worstCase = "worst_case", sanityFigures = "sanity_figures"
        case zeroGradientFraction = "zero_gradient_fraction"
    }

    /// The entry for `attack` at `eps`, if measured.
    public func entry(_ attack: String, eps: Double) -> RobustEntry? {
        entries.first { $0.attack == attack && abs($0.eps - eps) < 1e-9 }
    }
}
