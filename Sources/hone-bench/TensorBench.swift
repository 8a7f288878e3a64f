import ArgumentParser
import Foundation
import HoneCompute
import HoneRandom
import HoneTensor

/// `hone-bench tensor`: tensor-level (autodiff included) step times for the reference MLP and
/// CNN of the networks issue, plus a few common ops, as JSON lines. `benchmarks/compare-tensor.py`
/// times the same graphs in PyTorch. A "step" is forward + cross-entropy + backward + an SGD
/// update of every parameter (the optimizer itself belongs to HoneNN and is not measured here).
struct TensorBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tensor", abstract: "Tensor + autodiff: MLP/CNN train steps, inference, common ops.")

    @Option(help: "Comma-separated thread counts (default 1,2).")
    var threads: String = "1,2"

    @Flag(help: "Shorter timing batches.")
    var quick = false

    @Option(help: "Comma-separated subset of: mlp,cnn,lstm,ops (default all).")
    var only: String = "mlp,cnn,lstm,ops"

    @Flag(help: "Time with process CPU time instead of wall clock (1 thread on a busy machine).")
    var cpuClock = false

    mutating func run() throws {
        let counts = threads.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let parts = Set(only.split(separator: ",").map(String.init))
        let timer = BenchTimer(minSeconds: quick ? 0.2 : 1.0, batches: quick ? 3 : 5, cpuClock: cpuClock)
        for t in counts {
            Compute.threadCount = t
            if parts.contains("mlp") { TensorBenchModels.mlp(timer, threads: t) }
            if parts.contains("cnn") { TensorBenchModels.cnn(timer, threads: t) }
            if parts.contains("lstm") { TensorBenchModels.lstm(timer, threads: t) }
            if parts.contains("ops") { TensorBenchModels.ops(timer, threads: t) }
        }
    }
}

enum TensorBenchModels {
    static let batch = 128

    /// Parameters as [out, in] weights (PyTorch layout) with uniform ±1/√fan_in init.
    static func dense(_ g: inout SeededGenerator, _ i: Int, _ o: Int) -> (Tensor, Tensor) {
        let b = 1 / Float(i).squareRoot()
        return (Tensor.uniform(shape: [o, i], low: -b, high: b, generator: &g).requiringGrad(),
                Tensor.uniform(shape: [o], low: -b, high: b, generator: &g).requiringGrad())
    }

    static func sgd(_ params: inout [Tensor], lr: Float) {
        withoutGradient {
            for i in params.indices {
                if let g = params[i].grad { params[i] -= lr * g }
                params[i].zeroGrad()
            }
        }
    }

    static func inputs(_ g: inout SeededGenerator, _ shape: [Int]) -> (Tensor, [Int32]) {
        let x = Tensor.uniform(shape: shape, low: 0, high: 1, generator: &g)
        let y = (0..<shape[0]).map { _ in Int32(g.bounded(10)) }
        return (x, y)
    }

    static func mlp(_ timer: BenchTimer, threads: Int) {
        var g = SeededGenerator(seed: 1)
        let (w1, b1) = dense(&g, 784, 256), (w2, b2) = dense(&g, 256, 128), (w3, b3) = dense(&g, 128, 10)
        var params = [w1, b1, w2, b2, w3, b3]
        let (x, y) = inputs(&g, [batch, 784])
        func forward(_ p: [Tensor]) -> Tensor {
            let h1 = Tensor.linear(x, weight: p[0], bias: p[1]).relu()
            let h2 = Tensor.linear(h1, weight: p[2], bias: p[3]).relu()
            return Tensor.linear(h2, weight: p[4], bias: p[5])
        }
        let step = timer.seconds {
            let loss = Tensor.softmaxCrossEntropy(logits: forward(params), labels: y)
            loss.backward()
            sgd(&params, lr: 0.01)
        }
        let infer = timer.seconds { _ = withoutGradient { forward(params) } }
        emitJSON([("bench", "tensor_step"), ("model", "mlp"), ("threads", threads), ("batch", batch),
                  ("step_ms", step * 1e3), ("train_samples_per_s", Double(batch) / step),
                  ("infer_ms", infer * 1e3), ("infer_samples_per_s", Double(batch) / infer)])
    }

    static func cnn(_ timer: BenchTimer, threads: Int) {
        var g = SeededGenerator(seed: 2)
        func conv(_ i: Int, _ o: Int) -> (Tensor, Tensor) {
            let b = 1 / Float(i * 9).squareRoot()
            return (Tensor.uniform(shape: [o, i, 3, 3], low: -b, high: b, generator: &g).requiringGrad(),
                    Tensor.uniform(shape: [o], low: -b, high: b, generator: &g).requiringGrad())
        }
        let (c1, cb1) = conv(1, 32), (c2, cb2) = conv(32, 64)
        let (w1, b1) = dense(&g, 1600, 128), (w2, b2) = dense(&g, 128, 10)
        var params = [c1, cb1, c2, cb2, w1, b1, w2, b2]
        let (x, y) = inputs(&g, [batch, 1, 28, 28])
        func forward(_ p: [Tensor]) -> Tensor {
            var h = Tensor.conv2d(x, weight: p[0], bias: p[1]).relu().maxPool2d(kernel: 2)
            h = Tensor.conv2d(h, weight: p[2], bias: p[3]).relu().maxPool2d(kernel: 2)
            h = Tensor.linear(h.flattened(), weight: p[4], bias: p[5]).relu()
            return Tensor.linear(h, weight: p[6], bias: p[7])
        }
        let step = timer.seconds {
            let loss = Tensor.softmaxCrossEntropy(logits: forward(params), labels: y)
            loss.backward()
            sgd(&params, lr: 0.01)
        }
        let infer = timer.seconds { _ = withoutGradient { forward(params) } }
        emitJSON([("bench", "tensor_step"), ("model", "cnn"), ("threads", threads), ("batch", batch),
                  ("step_ms", step * 1e3), ("train_samples_per_s", Double(batch) / step),
                  ("infer_ms", infer * 1e3), ("infer_samples_per_s", Double(batch) / infer)])
    }

    /// The reference `lstm`: 28 rows of 28 pixels → LSTM(128) → last hidden state → dense 10.
    static func lstm(_ timer: BenchTimer, threads: Int) {
        var g = SeededGenerator(seed: 4)
        let hidden = 128, bound = 1 / Float(hidden).squareRoot()
        func uniform(_ shape: [Int]) -> Tensor {
            Tensor.uniform(shape: shape, low: -bound, high: bound, generator: &g).requiringGrad()
        }
        let (wih, whh, bih, bhh) = (uniform([4 * hidden, 28]), uniform([4 * hidden, hidden]), uniform([4 * hidden]), uniform([4 * hidden]))
        let (w, b) = dense(&g, hidden, 10)
        var params = [wih, whh, bih, bhh, w, b]
        let (x, y) = inputs(&g, [batch, 28, 28])
        func forward(_ p: [Tensor]) -> Tensor {
            let last = Tensor.lstmLastState(input: x, weightIH: p[0], weightHH: p[1], bias: p[2] + p[3])
            return Tensor.linear(last, weight: p[4], bias: p[5])
        }
        let step = timer.seconds {
            let loss = Tensor.softmaxCrossEntropy(logits: forward(params), labels: y)
            loss.backward()
            sgd(&params, lr: 0.01)
        }
        let infer = timer.seconds { _ = withoutGradient { forward(params) } }
        emitJSON([("bench", "tensor_step"), ("model", "lstm"), ("threads", threads), ("batch", batch),
                  ("step_ms", step * 1e3), ("train_samples_per_s", Double(batch) / step),
                  ("infer_ms", infer * 1e3), ("infer_samples_per_s", Double(batch) / infer)])
    }

    static func ops(_ timer: BenchTimer, threads: Int) {
        var g = SeededGenerator(seed: 3)
        let a = Tensor.uniform(shape: [128, 256], low: -1, high: 1, generator: &g)
        let bias = Tensor.uniform(shape: [256], low: -1, high: 1, generator: &g)
        let big = Tensor.uniform(shape: [1 << 22], low: -1, high: 1, generator: &g)
        let big2 = Tensor.uniform(shape: [1 << 22], low: -1, high: 1, generator: &g)
        let logits = Tensor.uniform(shape: [128, 1000], low: -5, high: 5, generator: &g)
        let cases: [(String, Int, () -> Void)] = [
            ("add_bias_128x256", a.count, { _ = a + bias }),
            ("relu_128x256", a.count, { _ = a.relu() }),
            ("add_4M", big.count, { _ = big + big2 }),
            ("exp_4M", big.count, { _ = big.exp() }),
            ("sum_4M", big.count, { _ = big.sum() }),
            ("softmax_128x1000", logits.count, { _ = logits.softmax() }),
            ("transpose_copy_128x256", a.count, { _ = a.transposed().contiguous() }),
        ]
        for (name, n, body) in cases {
            let s = timer.seconds(body)
            emitJSON([("bench", "tensor_op"), ("op", name), ("threads", threads), ("us", s * 1e6),
                      ("gelem_per_s", Double(n) / s / 1e9)])
        }
    }
}
