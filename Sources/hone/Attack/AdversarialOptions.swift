import ArgumentParser
import Foundation
import HoneConfig
import HoneData
import HoneRobust
import HoneRun
import HoneTensor
import HoneTrain

/// `hone train` flags for adversarial training; each overrides the config's `robustness:` section.
struct AdversarialOptions: ParsableArguments {
    @Option(help: "Adversarial training: none, fgsm-rs (Wong et al. 2020), pgd (Madry et al. 2018), trades (Zhang et al. 2019), fgsm (no random start; masks gradients).")
    var adversarial: String?
    @Option(help: "Adversarial training budget ε (L∞, pixels in [0, 1]).") var eps: Double?
    @Option(help: "Inner attack steps for pgd/trades.") var advSteps: Int?
    @Option(help: "Inner attack step size (default 1.25·ε for fgsm-rs, 2.5·ε/steps otherwise).") var advStepSize: Double?
    @Option(help: "TRADES β.") var beta: Double?
    @Option(help: "Linear ε warm-up over this many epochs.") var epsWarmup: Double?
    @Option(help: "Gaussian-noise augmentation σ.") var noiseStd: Double?

    /// The config's section with the flags applied on top.
    func section(_ cfg: HoneConfig) throws -> RobustnessSection {
        var s = try cfg.robustnessSection()
        if let adversarial {
            guard RobustnessSection.methods.contains(adversarial) else {
                throw RobustnessError.invalidArgument(name: "--adversarial", value: adversarial,
                                                      expected: "one of \(RobustnessSection.methods.joined(separator: ", "))")
            }
            s.adversarial = adversarial
        }
        if let eps {
            guard eps >= 0 && eps.isFinite else { throw RobustnessError.invalidArgument(name: "--eps", value: "\(eps)", expected: "eps ≥ 0") }
            s.eps = eps
        }
        if let advSteps {
            guard advSteps >= 1 else { throw RobustnessError.invalidArgument(name: "--adv-steps", value: "\(advSteps)", expected: "steps ≥ 1") }
            s.steps = advSteps
        }
        if let advStepSize { s.stepSize = advStepSize }
        if let beta { s.beta = beta }
        if let epsWarmup { s.warmupEpochs = epsWarmup }
        if let noiseStd { s.noiseStd = noiseStd }
        return s
    }

    /// Callbacks (and for TRADES the loss) that make `fit` train adversarially.
    static func training(_ s: RobustnessSection, data: LoadedData, seed: UInt64) throws -> (callbacks: [any Callback], loss: LossFunction?) {
        var callbacks: [any Callback] = []
        if s.noiseStd > 0 { callbacks.append(try GaussianNoiseAugmentation(std: Float(s.noiseStd), seed: seed)) }
        let eps = Float(s.eps), alpha = s.stepSize.map(Float.init)
        switch s.adversarial {
        case "none": return (callbacks, nil)
        case "trades":
            let t = try TRADES(epsilon: eps, beta: Float(s.beta), steps: s.steps, stepSize: alpha, warmupEpochs: s.warmupEpochs, seed: seed)
            return (callbacks + [t.callback], t.loss)
        case "pgd":
            callbacks.append(try AdversarialTraining(.pgd(steps: s.steps, stepSize: alpha), epsilon: eps, warmupEpochs: s.warmupEpochs, seed: seed))
        case "fgsm-rs":
            callbacks.append(try AdversarialTraining(.fgsmRandomStart(stepSize: alpha), epsilon: eps, warmupEpochs: s.warmupEpochs, seed: seed))
            if s.earlyStopping {
                // PGD check on a fixed training batch (Wong et al. 2020 §5.3).
                let n = min(512, data.train.count)
                let check = data.train.selecting(Array(0..<n))
                callbacks.append(try PGDCheckEarlyStopping(epsilon: eps, inputs: Tensor(shape: [n] + data.inputShape, scalars: check.features),
                                                           labels: check.labels, seed: seed))
            }
        case "fgsm":
            callbacks.append(try AdversarialTraining(.fgsm, epsilon: eps, warmupEpochs: s.warmupEpochs, seed: seed))
        default:
            throw RobustnessError.invalidArgument(name: "robustness.adversarial", value: s.adversarial,
                                                  expected: "one of \(RobustnessSection.methods.joined(separator: ", "))")
        }
        return (callbacks, nil)
    }
}
