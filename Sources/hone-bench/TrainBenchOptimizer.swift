import ArgumentParser
import Foundation
import HoneCompute
import HoneNN
import HoneTensor

/// `hone-bench optimizer-step`: time of one `Optimizer.step()` on the reference MLP's
/// parameters (235,146 scalars), gradients freshly produced before every step as in training.
/// Prints one JSON line with the median and 10th percentile in microseconds.
struct OptimizerStepBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimizer-step",
        abstract: "Time Optimizer.step() (Adam, AdamW+clipping, SGD momentum) on the reference MLP's parameters."
    )

    @Option(help: "Compute threads.") var threads: Int = 2
    @Option(help: "Timed steps per optimizer.") var steps: Int = 300

    func run() throws {
        Compute.threadCount = threads
        let cases: [(String, () -> any GradientTransformation)] = [
            ("adam", { adam(learningRate: 1e-3) }),
            ("adamw_clip", { chain(clipByGlobalNorm(1), adamW(learningRate: 1e-3)) }),
            ("sgd_momentum", { sgd(learningRate: 0.01, momentum: 0.9) }),
        ]
        for (name, make) in cases {
            let model = Models.mlp(seed: 0)
            let optimizer = Optimizer(model, make())
            let params = model.trainableParameters.map(\.1)
            let clock = ContinuousClock()
            var micros: [Double] = []
            for i in 0..<(steps + 20) {
                for p in params { p.value.grad = Tensor.full(p.shape, Float(i % 7) * 1e-3 - 3e-3) }
                let start = clock.now
                optimizer.step()
                let d = (clock.now - start).components
                if i >= 20 { micros.append(Double(d.seconds) * 1e6 + Double(d.attoseconds) * 1e-12) }
            }
            micros.sort()
            let count = params.reduce(0) { $0 + $1.count }
            let line = "{\"bench\":\"optimizer_step\",\"optimizer\":\"\(name)\",\"parameters\":\(count),\"threads\":\(threads),"
                + "\"median_us\":\(String(format: "%.1f", micros[micros.count / 2])),"
                + "\"p10_us\":\(String(format: "%.1f", micros[micros.count / 10]))}\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
    }
}
