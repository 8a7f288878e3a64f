import HoneNN
import HoneRandom
import HoneTensor
import HoneTrain

/// How adversarial training crafts each batch's examples.
public enum AdversarialMethod: Sendable, Equatable {
    /// PGD-AT (Madry et al., ICLR 2018): train on PGD examples with a random start.
    case pgd(steps: Int, stepSize: Float?)
    /// "Fast is better than free" FGSM with a random start (Wong, Rice & Kolter, ICLR 2020):
    /// δ ~ U(−ε, ε), one FGSM step of α (default 1.25·ε), projected to the ε-ball.
    case fgsmRandomStart(stepSize: Float?)
    /// Plain FGSM from the clean input (Goodfellow et al. 2015). Prone to catastrophic
    /// overfitting and gradient masking; kept as the control that the sanity checks must flag.
    case fgsm
}

/// Adversarial training as a `fit` callback: replaces every training batch by adversarial
/// examples against the current model (labels unchanged), with an optional linear ε warm-up.
/// Pair `.fgsmRandomStart` with ``PGDCheckEarlyStopping`` against catastrophic overfitting.
///
/// ```swift
/// let at = try AdversarialTraining(.fgsmRandomStart(stepSize: nil), epsilon: 0.1, warmupEpochs: 1)
/// try fit(model, optimizer: opt, data: train, epochs: 10, batchSize: 128,
///         callbacks: [at, PGDCheckEarlyStopping(epsilon: 0.1, inputs: x, labels: y)])
/// ```
public final class AdversarialTraining: Callback {
    public let method: AdversarialMethod
    public let warmup: EpsilonWarmup
    public let range: ClosedRange<Float>
    public let seed: UInt64
    /// ε used for the latest batch (after warm-up).
    public private(set) var currentEpsilon: Float = 0
    private var batchCounter: UInt64 = 0

    public init(_ method: AdversarialMethod, epsilon: Float, warmupEpochs: Double = 0, range: ClosedRange<Float> = 0...1,
                seed: UInt64 = 0) throws {
        warmup = try EpsilonWarmup(epsilon: epsilon, epochs: warmupEpochs)
        switch method {
        case let .pgd(steps, stepSize):
            _ = try AttackSettings(epsilon: epsilon, steps: steps, stepSize: stepSize)
        case let .fgsmRandomStart(stepSize):
            if let stepSize, !(stepSize > 0) {
                throw RobustnessError.invalidArgument(name: "step_size", value: "\(stepSize)", expected: "a step size > 0")
            }
        case .fgsm: break
        }
        self.method = method; self.range = range; self.seed = seed
    }

    /// The attack used for one batch at budget `eps`.
    public func attack(epsilon eps: Float, batchSeed: UInt64) throws -> any Attack {
        switch method {
        case let .pgd(steps, stepSize):
            // Keep the step/ε ratio fixed while ε warms up.
            let alpha = stepSize.map { $0 * eps / max(warmup.target, .leastNormalMagnitude) }
            return try PGD(epsilon: eps, steps: steps, stepSize: alpha, range: range, seed: batchSeed)
        case let .fgsmRandomStart(stepSize):
            let alpha = stepSize.map { $0 * eps / max(warmup.target, .leastNormalMagnitude) } ?? 1.25 * eps
            return try PGD(epsilon: eps, steps: 1, stepSize: alpha, range: range, seed: batchSeed)
        case .fgsm:
            return try FGSM(epsilon: eps, range: range)
        }
    }

    public func batchWillBegin(_ batch: Int, inputs: Tensor, labels: [Int32], state: TrainingState) throws -> Tensor {
        currentEpsilon = warmup.epsilon(epoch: state.epoch, batch: batch, batchesPerEpoch: state.batchesPerEpoch)
        batchCounter &+= 1
        guard currentEpsilon > 0 else { return inputs }
        let a = try attack(epsilon: currentEpsilon, batchSeed: seed &+ batchCounter &* 0x9E37_79B9_7F4A_7C15)
        return try a.perturb(state.model, inputs: inputs, labels: labels).detached()
    }

    public func epochDidEnd(_ log: inout EpochLog, state: TrainingState) throws {
        log["adversarial_eps"] = Double(currentEpsilon)
    }
}
