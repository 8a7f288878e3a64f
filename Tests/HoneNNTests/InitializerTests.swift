import HoneNN
import HoneRandom
import HoneTensor
import Testing

@Suite("Initializers")
struct InitializerTests {
    func stats(_ t: Tensor) -> (mean: Double, std: Double, maxAbs: Double) {
        let v = t.scalars.map(Double.init)
        let m = v.reduce(0, +) / Double(v.count)
        let s = (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count)).squareRoot()
        return (m, s, v.map(abs).max() ?? 0)
    }

    @Test func fansFollowPyTorch() {
        let dense = Initializer.fans(of: [256, 784]), conv = Initializer.fans(of: [64, 32, 3, 3])
        #expect(dense.fanIn == 784 && dense.fanOut == 256)
        #expect(conv.fanIn == 288 && conv.fanOut == 576)
    }

    @Test func boundsAndDeviations() {
        var g = SeededGenerator(seed: 1)
        let shape = [200, 300]   // fanIn 300, fanOut 200
        let cases: [(Initializer, uniformBound: Double?, std: Double)] = [
            (.glorotUniform(), (6.0 / 500).squareRoot(), (2.0 / 500).squareRoot()),
            (.glorotNormal(), nil, (2.0 / 500).squareRoot()),
            (.heUniform(), (6.0 / 300).squareRoot(), (2.0 / 300).squareRoot()),
            (.heNormal(), nil, (2.0 / 300).squareRoot()),
            (.heNormal(nonlinearity: .leakyRelu(negativeSlope: 0.2), mode: .fanOut), nil, (2 / 1.04 / 200).squareRoot()),
            (.lecunUniform, (3.0 / 300).squareRoot(), (1.0 / 300).squareRoot()),
            (.lecunNormal, nil, (1.0 / 300).squareRoot()),
            (.pytorchDefault, 1 / 300.0.squareRoot(), 1 / 300.0.squareRoot() / 3.0.squareRoot()),
        ]
        for (initializer, bound, std) in cases {
            let s = stats(initializer.make(shape: shape, generator: &g))
            #expect(abs(s.mean) < 0.05 * std * 10, "\(initializer): mean \(s.mean)")
            #expect(abs(s.std / std - 1) < 0.03, "\(initializer): std \(s.std), expected \(std)")
            if let bound { #expect(s.maxAbs <= bound && s.maxAbs > 0.98 * bound, "\(initializer): max |w| \(s.maxAbs) vs bound \(bound)") }
        }
        #expect(Initializer.constant(0.25).make(shape: [3], generator: &g).scalars == [0.25, 0.25, 0.25])
        #expect(Initializer.zeros.make(shape: [2], generator: &g).scalars == [0, 0])
        #expect(Initializer.ones.make(shape: [2], generator: &g).scalars == [1, 1])
    }

    @Test func orthogonalRowsOrColumnsAreOrthonormal() {
        for shape in [[6, 4], [4, 6], [5, 5]] {
            var g = SeededGenerator(seed: 7)
            let w = Initializer.orthogonal(gain: 2).make(shape: shape, generator: &g)
            // The smaller Gram matrix (WᵀW for tall, WWᵀ for wide) is gain²·I.
            let gram = shape[0] >= shape[1] ? w.transposed().matmul(w) : w.matmul(w.transposed())
            let n = min(shape[0], shape[1])
            for i in 0..<n { for j in 0..<n {
                #expect(abs(gram.element(at: [i, j]) - (i == j ? 4 : 0)) < 1e-4)
            } }
        }
    }

    @Test func layersDrawPyTorchDefaults() {
        let fc = Dense(inputSize: 400, outputSize: 300, seed: 2)
        let bound = 1 / Float(400).squareRoot()
        #expect(fc.weight.value.scalars.allSatisfy { abs($0) <= bound })
        #expect(fc.bias!.value.scalars.allSatisfy { abs($0) <= bound })
        let lstm = LSTM(inputSize: 10, hiddenSize: 16, seed: 2)
        #expect(lstm.parameters.allSatisfy { $0.1.value.scalars.allSatisfy { abs($0) <= 0.25 } })
        let keras = Dense(inputSize: 400, outputSize: 300, weightInitializer: .glorotUniform(), biasInitializer: .zeros, seed: 2)
        #expect(keras.bias!.value.scalars.allSatisfy { $0 == 0 })
        #expect(Dense(inputSize: 4, outputSize: 4, seed: 9).weight.value.scalars == Dense(inputSize: 4, outputSize: 4, seed: 9).weight.value.scalars)
    }
}
