import HoneNN
import HoneTensor
import Testing

@Suite("Layer gradients against Double finite differences")
struct LayerGradientTests {
    /// Checks ∂ of a training-mode batch norm's output w.r.t. x [n, c, s…], γ and β (seeds
    /// seed, seed + 1, seed + 2) against the Double definition.
    func checkBatchNorm(_ bn: some BatchNormLayer & Layer, shape: [Int], seed: UInt64,
                        sourceLocation: SourceLocation = #_sourceLocation) {
        let (n, c) = (shape[0], shape[1]), s = shape.dropFirst(2).reduce(1, *)
        let x = randomTensor(shape, seed: seed, low: -2, high: 2)
        let gamma = randomTensor([c], seed: seed + 1, low: 0.5, high: 1.5), beta = randomTensor([c], seed: seed + 2)
        checkGradients([x, gamma, beta], sourceLocation: sourceLocation, bound: { l in
            bn.parameters[0].1.value = l[1]; bn.parameters[1].1.value = l[2]
            return (bn(l[0]), [l[0], bn.parameters[0].1.value, bn.parameters[1].1.value])
        }, reference: { v in Ref.batchNorm(v[0], v[1], v[2], n: n, c: c, s: s) })
    }

    @Test func batchNorm2dTrainingMode() { checkBatchNorm(BatchNorm2d(3), shape: [4, 3, 2, 3], seed: 1) }

    @Test func batchNorm1dTrainingMode() { checkBatchNorm(BatchNorm1d(5), shape: [6, 5], seed: 4) }

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

    /// Checks ∂ of every hidden state of `layer` (returnSequences, `gates`·h rows per weight)
    /// w.r.t. x [b, t, f] and its four parameters (seeds seed…seed + 4) against `reference`
    /// (x, W_ih, W_hh, b_ih, b_hh in Double).
    func checkRecurrent(_ layer: some RecurrentLayer & Layer, gates: Int, b: Int, t: Int, seed: UInt64,
                        sourceLocation: SourceLocation = #_sourceLocation, reference: ([[Double]]) -> [Double]) {
        let (f, h) = (layer.inputSize, layer.hiddenSize)
        let inputs = [randomTensor([b, t, f], seed: seed), randomTensor([gates * h, f], seed: seed + 1),
                      randomTensor([gates * h, h], seed: seed + 2), randomTensor([gates * h], seed: seed + 3),
                      randomTensor([gates * h], seed: seed + 4)]
        checkGradients(inputs, sourceLocation: sourceLocation, bound: { l in
            layer.weightIH.value = l[1]; layer.weightHH.value = l[2]; layer.biasIH.value = l[3]; layer.biasHH.value = l[4]
            return (layer(l[0]), [l[0], layer.weightIH.value, layer.weightHH.value, layer.biasIH.value, layer.biasHH.value])
        }, reference: reference)
    }

    @Test func lstmAllParameters() {
        let (b, t, f, h) = (2, 4, 3, 3)
        checkRecurrent(LSTM(inputSize: f, hiddenSize: h, returnSequences: true, seed: 1), gates: 4, b: b, t: t, seed: 11) { v in
            Ref.lstm(v[0], v[1], v[2], v[3], v[4], b: b, t: t, f: f, h: h)
        }
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
        checkRecurrent(GRU(inputSize: f, hiddenSize: h, returnSequences: true, seed: 1), gates: 3, b: b, t: t, seed: 21) { v in
            Ref.gru(v[0], v[1], v[2], v[3], v[4], b: b, t: t, f: f, h: h)
        }
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
