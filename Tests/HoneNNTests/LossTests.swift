import Foundation
import HoneNN
import HoneTensor
import Testing

@Suite("Losses: gradients and PyTorch values")
struct LossTests {
    let labels: [Int32] = [0, 3, 4, 3]
    let weights: [Float] = [1, 2, 0.5, 1.5, 3]

    @Test func regressionLossGradients() {
        let p = randomTensor([3, 4], seed: 1, low: -2, high: 2), t = randomTensor([3, 4], seed: 2, low: -2, high: 2)
        for reduction in Reduction.allCases {
            func reduce(_ v: [Double]) -> [Double] {
                switch reduction {
                case .none: return v
                case .sum: return [v.reduce(0, +)]
                case .mean: return [v.reduce(0, +) / Double(v.count)]
                case .batchMean: return [v.reduce(0, +) / 3]
                }
            }
            checkGradients([p, t], forward: { Loss.meanSquaredError($0[0], $0[1], reduction: reduction) },
                           reference: { v in reduce(zip(v[0], v[1]).map { ($0 - $1) * ($0 - $1) }) })
            checkGradients([p, t], forward: { Loss.meanAbsoluteError($0[0], $0[1], reduction: reduction) },
                           reference: { v in reduce(zip(v[0], v[1]).map { abs($0 - $1) }) })
            checkGradients([p, t], forward: { Loss.huber($0[0], $0[1], delta: 0.8, reduction: reduction) },
                           reference: { v in reduce(zip(v[0], v[1]).map { let d = abs($0 - $1); return d < 0.8 ? 0.5 * d * d : 0.8 * (d - 0.4) }) })
        }
    }

    @Test func crossEntropyGradients() {
        let logits = randomTensor([4, 5], seed: 3, low: -3, high: 3)
        let smoothing = 0.2
        checkGradients([logits], forward: {
            Loss.crossEntropy(logits: $0[0], labels: labels, classWeights: weights, labelSmoothing: Float(smoothing), reduction: .none)
        }, reference: { v in
            let lp = Ref.logSoftmax(v[0], n: 4, c: 5)
            return (0..<4).map { i in
                let y = Int(labels[i])
                let nll = -Double(weights[y]) * lp[i * 5 + y]
                let smooth = -(0..<5).reduce(0) { $0 + Double(weights[$1]) * lp[i * 5 + $1] }
                return (1 - smoothing) * nll + smoothing / 5 * smooth
            }
        })
        checkGradients([logits], forward: { Loss.crossEntropy(logits: $0[0], labels: labels) }, reference: { v in
            let lp = Ref.logSoftmax(v[0], n: 4, c: 5)
            return [-(0..<4).reduce(0) { $0 + lp[$1 * 5 + Int(labels[$1])] } / 4]
        })
        let probs = randomTensor([4, 5], seed: 4, low: 0, high: 1)
        checkGradients([logits, probs], forward: { Loss.crossEntropy(logits: $0[0], probabilities: $0[1], reduction: .sum) },
                       reference: { v in
            let lp = Ref.logSoftmax(v[0], n: 4, c: 5)
            return [-zip(lp, v[1]).reduce(0) { $0 + $1.0 * $1.1 }]
        })
    }

    @Test func binaryCrossEntropyAndKLGradients() {
        let x = randomTensor([3, 4], seed: 5, low: -4, high: 4), y = randomTensor([3, 4], seed: 6, low: 0, high: 1)
        checkGradients([x, y], forward: { Loss.binaryCrossEntropy(logits: $0[0], targets: $0[1], reduction: .none) },
                       reference: { v in zip(v[0], v[1]).map { Ref.softplus($0) - $0 * $1 } })
        checkGradients([x, y], forward: { Loss.binaryCrossEntropy(logits: $0[0], targets: $0[1], positiveWeight: 3, reduction: .none) },
                       reference: { v in zip(v[0], v[1]).map { x, t in -(3 * t * log(Ref.sigmoid(x)) + (1 - t) * log(1 - Ref.sigmoid(x))) } })
        let logq = randomTensor([3, 4], seed: 7, low: -3, high: -0.1), p = randomTensor([3, 4], seed: 8, low: 0.05, high: 1)
        checkGradients([logq, p], forward: { Loss.klDivergence(input: $0[0], target: $0[1], reduction: .batchMean) },
                       reference: { v in [zip(v[0], v[1]).reduce(0) { $0 + $1.1 * (log($1.1) - $1.0) } / 3] })
        checkGradients([logq, p.log()], forward: { Loss.klDivergence(input: $0[0], target: $0[1], logTarget: true, reduction: .sum) },
                       reference: { v in [zip(v[0], v[1]).reduce(0) { $0 + exp($1.1) * ($1.1 - $1.0) }] })
    }

    /// Values from benchmarks/reference-nn.py (PyTorch 2.15, float64).
    @Test func matchesPyTorch() {
        let logits = pattern([4, 5], 0.5, scale: 4)
        let target = pattern([4, 5], 1.5, shift: 0.5)
        expectClose([Loss.crossEntropy(logits: logits, labels: labels, classWeights: weights, labelSmoothing: 0.2).scalar],
                    [2.64974572])
        expectClose(Loss.crossEntropy(logits: logits, labels: labels, classWeights: weights, labelSmoothing: 0.2, reduction: .none).scalars,
                    [2.29475189, 2.67987625, 11.30811, 2.26548197])
        expectClose([Loss.crossEntropy(logits: logits, labels: labels, labelSmoothing: 0.1, reduction: .sum).scalar], [9.36589592])
        let t01 = target.clamped(min: 0, max: 1)
        expectClose([Loss.binaryCrossEntropy(logits: logits, targets: t01).scalar], [0.614776015])
        expectClose([Loss.binaryCrossEntropy(logits: logits, targets: t01, positiveWeight: 2, reduction: .sum).scalar], [18.5643429])
        expectClose([Loss.huber(logits, target, delta: 0.7).scalar], [0.562765926])
        var pv = pattern([4, 5], 2.5, scale: 3).softmax(axis: 1).scalars
        pv[1] = 0
        let p = Tensor(shape: [4, 5], scalars: pv)
        expectClose([Loss.klDivergence(input: logits.logSoftmax(axis: 1), target: p, reduction: .batchMean).scalar], [0.878625093])
        expectClose(Loss.klDivergence(input: logits.logSoftmax(axis: 1), target: p, reduction: .none).scalars,
                    [0.840024936, 0, -0.118739023, -0.0536410994, 0.039212709, -0.00500668028, 0.199076538, 0.502214214,
                     0.205608421, -0.240717982, -0.0221397171, -0.144270969, -0.0523367555, 0.124758847, 0.849937377,
                     0.338887149, 0.776489835, 0.494920058, -0.0709570644, -0.148820423])
    }

    @Test func sparseCrossEntropyIsTheFusedKernel() {
        let logits = randomTensor([8, 10], seed: 9, low: -5, high: 5)
        let y: [Int32] = [0, 1, 2, 3, 4, 5, 6, 9]
        let fused = Loss.sparseCrossEntropy(logits: logits, labels: y).scalar
        let perSample = Loss.crossEntropy(logits: logits, labels: y, reduction: .none).mean().scalar
        #expect(abs(fused - perSample) < 1e-5)
    }
}
