import Foundation
import HoneNN
import HoneRandom
import HoneTensor
import HoneTrain

/// TRADES (Zhang et al., "Theoretically Principled Trade-off between Robustness and Accuracy",
/// ICML 2019): minimize CE(f(x), y) + β·KL(f(x) ‖ f(x′)), where x′ maximizes the KL term by
/// `steps` L∞ sign-gradient steps of α from x + 0.001·N(0, 1), inside the ε-ball.
///
/// Use ``callback`` (builds x′ and hands `fit` the batch [x; x′]) together with ``loss`` (splits
/// the logits back into the clean and adversarial halves). Training accuracy is not logged
/// (the batch is doubled).
///
/// ```swift
/// let trades = try TRADES(epsilon: 0.1, beta: 6)
/// try fit(model, loss: trades.loss, optimizer: opt, data: train, epochs: 10, batchSize: 128,
///         callbacks: [trades.callback])
/// ```
public struct TRADES: Sendable {
    public let beta: Float
    public let settings: AttackSettings
    /// Linear ε ramp over the first epochs.
    public let warmup: EpsilonWarmup

    public init(epsilon: Float, beta: Float = 6, steps: Int = 10, stepSize: Float? = nil, warmupEpochs: Double = 0,
                range: ClosedRange<Float> = 0...1, seed: UInt64 = 0) throws {
        guard beta >= 0, beta.isFinite else {
            throw RobustnessError.invalidArgument(name: "beta", value: "\(beta)", expected: "a finite beta ≥ 0")
        }
        settings = try AttackSettings(epsilon: epsilon, steps: steps, stepSize: stepSize ?? 2.5 * epsilon / Float(steps),
                                      range: range, seed: seed)
        warmup = try EpsilonWarmup(epsilon: epsilon, epochs: warmupEpochs)
        self.beta = beta
    }

    /// The loss on [clean; adversarial] logits: CE(clean, y) + β·KL(softmax(clean) ‖ softmax(adv)),
    /// KL averaged over the batch. On clean logits alone (validation) it is the cross-entropy.
    public var loss: LossFunction {
        let beta = beta
        return { output, labels in
            let n = labels.count
            // Evaluation passes clean logits only: the TRADES objective reduces to cross-entropy.
            if output.shape[0] == n { return Loss.crossEntropy(logits: output, labels: labels) }
            if output.shape[0] != 2 * n {
                preconditionFailure("TRADES.loss: expected logits for [clean; adversarial] (\(2 * n) rows), got \(output.shape); add TRADES.callback to fit")
            }
            let halves = output.split(sizes: [n, n], axis: 0)
            let ce = Loss.crossEntropy(logits: halves[0], labels: labels)
            let logClean = halves[0].logSoftmax(axis: 1), logAdv = halves[1].logSoftmax(axis: 1)
            let kl = (logClean.exp() * (logClean - logAdv)).sum() * (1 / Float(n))
            return ce + beta * kl
        }
    }

    /// The callback that crafts x′ for every batch.
    public var callback: any Callback { TRADESCallback(self) }

    /// x′ for a batch at budget `eps` (the inner maximization of the KL term).
    public func adversarial(_ model: any Layer, inputs: Tensor, epsilon eps: Float, seed: UInt64) throws -> Tensor {
        var s = settings
        s.stepSize = settings.stepSize * eps / max(settings.epsilon, .leastNormalMagnitude)
        s.epsilon = eps
        let labels = [Int32](repeating: 0, count: inputs.shape[0])
        var oracle = try AttackOracle(model: model, inputs: inputs, labels: labels, targets: nil, settings: s, attack: "trades")
        let x0 = inputs.scalars, f = oracle.features
        return try AttackOracle.withAttackMode(model) {
            let clean = oracle.logits(x0)
            let c = clean.classes
            let pClean = softmaxRows(clean.values, classes: c)
            var g = SeededGenerator(seed: seed)
            var x = x0.map { $0 + 0.001 * Float(g.normal()) }
            Perturbation.project(&x, around: x0, settings: s, features: f)
            for _ in 0..<s.steps {
                let r = try oracle.gradient(x) { logits, classes in
                    // KL(p ‖ softmax(z)) per row and its derivative softmax(z) − p.
                    let q = softmaxRows(logits, classes: classes)
                    var values = [Float](repeating: 0, count: logits.count / classes), d = [Float](repeating: 0, count: logits.count)
                    for i in 0..<values.count {
                        for j in 0..<classes {
                            let k = i * classes + j
                            if pClean[k] > 0 { values[i] += pClean[k] * (logf(pClean[k]) - logf(max(q[k], 1e-30))) }
                            d[k] = q[k] - pClean[k]
                        }
                    }
                    return (values, d)
                }
                Perturbation.ascend(&x, grad: r.grad, stepSizes: { _ in s.stepSize }, norm: .linf, features: f)
                Perturbation.project(&x, around: x0, settings: s, features: f)
            }
            return Tensor(shape: inputs.shape, scalars: x)
        }
    }
}

func softmaxRows(_ z: [Float], classes c: Int) -> [Float] {
    var out = z
    for i in 0..<(z.count / c) {
        var m = -Float.infinity
        for j in 0..<c { m = max(m, z[i * c + j]) }
        var s: Float = 0
        for j in 0..<c { out[i * c + j] = expf(z[i * c + j] - m); s += out[i * c + j] }
        for j in 0..<c { out[i * c + j] /= s }
    }
    return out
}

/// Hands `fit` the batch [x; x′] for ``TRADES/loss``.
final class TRADESCallback: Callback {
    let trades: TRADES
    private var counter: UInt64 = 0
    init(_ trades: TRADES) { self.trades = trades }

    func batchWillBegin(_ batch: Int, inputs: Tensor, labels: [Int32], state: TrainingState) throws -> Tensor {
        counter &+= 1
        let eps = trades.warmup.epsilon(epoch: state.epoch, batch: batch, batchesPerEpoch: state.batchesPerEpoch)
        let adv = eps > 0
            ? try trades.adversarial(state.model, inputs: inputs, epsilon: eps, seed: trades.settings.seed &+ counter)
            : inputs
        return Tensor.concat([inputs.detached(), adv.detached()], axis: 0)
    }
}
