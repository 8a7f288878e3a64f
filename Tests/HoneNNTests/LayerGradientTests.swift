import HoneNN
import HoneTensor
import Testing

@Suite("Layer gradients against Double finite differences")
struct LayerGradientTests {
    @Test func batchNorm2dTrainingMode() {
        let bn = BatchNorm2d(3)
        let x = randomTensor([4, 3, 2, 3], seed: 1, low: -2, high: 2)
        let gamma = randomTensor([3], seed: 2, low: 0.5, high: 1.5), beta = randomTensor([3], seed: 3)
        checkGradients([x, gamma, beta], bound: { l in
            bn.setScaleAndShift(l[1], l[2])
            return (bn(l[0]), [l[0], bn.namedParameters[0].1.value, bn.namedParameters[1].1.value])
        }, reference: { v in Ref.batchNorm(v[0], v[1], v[2], n: 4, c: 3, s: 6) })
    }

    @Test func batchNorm1dTrainingMode() {
        let bn = BatchNorm1d(5)
        let x = randomTensor([6, 5], seed: 4, low: -2, high: 2)
        let gamma = randomTensor([5], seed: 5, low: 0.5, high: 1.5), beta = randomTensor([5], seed: 6)
        checkGradients([x, gamma, beta], bound: { l in
            bn.setScaleAndShift(l[1], l[2])
            return (bn(l[0]), [l[0], bn.namedParameters[0].1.value, bn.namedParameters[1].1.value])
        }, reference: { v in Ref.batchNorm(v[0], v[1], v[2], n: 6, c: 5, s: 1) })
    }

    @Test func batchNormEvaluationMode() {
        let bn = BatchNorm2d(2)
        bn.isTraining = false
        let x = randomTensor([3, 2, 2, 2], seed: 7)
        // Fresh running statistics (mean 0, var 1): y = γ·x/√(1 + ε) + β with γ = 1, β = 0.
        checkGradients([x], forward: { bn($0[0]) },
                       reference: { v in v[0].map { $0 / (1 + 1e-5).squareRoot() } })
    }

    @Test func layerNorm() {
        let ln = LayerNorm([4])
        let x = randomTensor([3, 2, 4], seed: 8, low: -2, high: 2)
        let w = randomTensor([4], seed: 9, low: 0.5, high: 1.5), b = randomTensor([4], seed: 10)
        checkGradients([x, w, b], bound: { l in
            ln.weight!.value = l[1]; ln.bias!.value = l[2]
            return (ln(l[0]), [l[0], ln.weight!.value, ln.bias!.value])
        }, reference: { v in Ref.layerNorm(v[0], v[1], v[2], d: 4) })
    }

    @Test func lstmAllParameters() {
        let (b, t, f, h) = (2, 4, 3, 3)
        let lstm = LSTM(inputSize: f, hiddenSize: h, returnSequences: true, seed: 1)
        let inputs = [randomTensor([b, t, f], seed: 11), randomTensor([4 * h, f], seed: 12), randomTensor([4 * h, h], seed: 13),
                      randomTensor([4 * h], seed: 14), randomTensor([4 * h], seed: 15)]
        checkGradients(inputs, bound: { l in
            lstm.weightIH.value = l[1]; lstm.weightHH.value = l[2]; lstm.biasIH.value = l[3]; lstm.biasHH.value = l[4]
            return (lstm(l[0]), [l[0], lstm.weightIH.value, lstm.weightHH.value, lstm.biasIH.value, lstm.biasHH.value])
        }, reference: { v in Ref.lstm(v[0], v[1], v[2], v[3], v[4], b: b, t: t, f: f, h: h) })
    }

    @Test func lstmLastState() {
        let (b, t, f, h) = (3, 3, 2, 4)
        let lstm = LSTM(inputSize: f, hiddenSize: h, seed: 2)
        let x = randomTensor([b, t, f], seed: 16, low: -2, high: 2)
        let wih = lstm.weightIH.value.scalars.map(Double.init), whh = lstm.weightHH.value.scalars.map(Double.init)
        let bih = lstm.biasIH.value.scalars.map(Double.init), bhh = lstm.biasHH.value.scalars.map(Double.init)
        checkGradients([x], forward: { lstm($0[0]) }, reference: { v in
            let all: [Double] = Ref.lstm(v[0], wih, whh, bih, bhh, b: b, t: t, f: f, h: h)
            var last: [Double] = []
            for bi in 0..<b {
                let start: Int = (bi * t + t - 1) * h
                last += all[start..<(start + h)]
            }
            return last
        })
    }

    @Test func gruAllParameters() {
        let (b, t, f, h) = (2, 4, 3, 3)
        let gru = GRU(inputSize: f, hiddenSize: h, returnSequences: true, seed: 1)
        let inputs = [randomTensor([b, t, f], seed: 21), randomTensor([3 * h, f], seed: 22), randomTensor([3 * h, h], seed: 23),
                      randomTensor([3 * h], seed: 24), randomTensor([3 * h], seed: 25)]
        checkGradients(inputs, bound: { l in
            gru.weightIH.value = l[1]; gru.weightHH.value = l[2]; gru.biasIH.value = l[3]; gru.biasHH.value = l[4]
            return (gru(l[0]), [l[0], gru.weightIH.value, gru.weightHH.value, gru.biasIH.value, gru.biasHH.value])
        }, reference: { v in Ref.gru(v[0], v[1], v[2], v[3], v[4], b: b, t: t, f: f, h: h) })
    }

    @Test func embeddingScatterAddsRepeatedIDs() {
        let emb = Embedding(count: 5, dimension: 3, seed: 1)
        let ids = [4, 1, 4, 0, 2, 4]
        checkGradients([randomTensor([5, 3], seed: 31)], bound: { l in
            emb.weight.value = l[0]
            return (emb.lookup(ids, shape: [2, 3]), [emb.weight.value])
        }, reference: { v in ids.flatMap { v[0][($0 * 3)..<($0 * 3 + 3)] } })
        #expect(emb(Tensor(shape: [2], scalars: [4, 1])).shape == [2, 3])
    }

    @Test func denseMatchesDefinition() {
        let fc = Dense(inputSize: 3, outputSize: 2, seed: 1)
        let inputs = [randomTensor([4, 3], seed: 41), randomTensor([2, 3], seed: 42), randomTensor([2], seed: 43)]
        checkGradients(inputs, bound: { l in
            fc.weight.value = l[1]; fc.bias!.value = l[2]
            return (fc(l[0]), [l[0], fc.weight.value, fc.bias!.value])
        }, reference: { v in
            var out: [Double] = []
            for r in 0..<4 {
                for o in 0..<2 {
                    var acc: Double = v[2][o]
                    for i in 0..<3 { acc += v[0][r * 3 + i] * v[1][o * 3 + i] }
                    out.append(acc)
                }
            }
            return out
        })
    }
}

extension BatchNorm2d {
    /// Test helper: sets γ and β.
    func setScaleAndShift(_ gamma: Tensor, _ beta: Tensor) {
        namedParameters[0].1.value = gamma; namedParameters[1].1.value = beta
    }
}

extension BatchNorm1d {
    func setScaleAndShift(_ gamma: Tensor, _ beta: Tensor) {
        namedParameters[0].1.value = gamma; namedParameters[1].1.value = beta
    }
}
