import Foundation
import HoneNN
import HoneTensor

/// The fixture shared with benchmarks/reference-optimizers.py: two parameters ([3, 4] and [5])
/// and gradients g = 0.3·θ + cos(0.7·i + 1.3·t + 0.5·k) at step t for parameter k.
enum OptimizerFixture {
    static let shapes = [[3, 4], [5]]

    static func initialValues() -> [[Float]] {
        [(0..<12).map { Float(0.5 * sin(Double($0 + 1))) }, (0..<5).map { Float(0.25 * cos(Double($0))) }]
    }

    static func gradient(_ theta: [Float], step t: Int, parameter k: Int) -> [Float] {
        theta.indices.map { i in Float(0.3) * theta[i] + Float(cos(0.7 * Double(i) + 1.3 * Double(t) + 0.5 * Double(k))) }
    }

    static func parameters() -> [(String, Parameter)] {
        let v = initialValues()
        return [("layer.weight", Parameter(Tensor(shape: shapes[0], scalars: v[0]))),
                ("head.bias", Parameter(Tensor(shape: shapes[1], scalars: v[1])))]
    }

    /// Runs `steps` optimizer steps and returns the values after each step.
    static func run(_ transformation: any GradientTransformation, steps: Int = 6,
                    beforeStep: (([(String, Parameter)]) -> Void)? = nil) -> [[[Float]]] {
        let params = parameters()
        let opt = Optimizer(parameters: params, transformation)
        var history: [[[Float]]] = []
        for t in 1...steps {
            for (k, (_, p)) in params.enumerated() {
                p.value.grad = Tensor(shape: p.shape, scalars: gradient(p.value.scalars, step: t, parameter: k))
            }
            beforeStep?(params)
            opt.step()
            history.append(params.map { $0.1.value.scalars })
        }
        return history
    }

    /// Runs a reference update rule written in Double: `rule(θ, g, t)` updates θ in place
    /// and keeps its own state in the closure.
    static func reference(steps: Int = 6, _ rule: (inout [[Double]], [[Double]], Int) -> Void) -> [[[Double]]] {
        var theta = initialValues().map { $0.map(Double.init) }
        var history: [[[Double]]] = []
        for t in 1...steps {
            let g = theta.enumerated().map { k, th in
                th.indices.map { i in 0.3 * th[i] + cos(0.7 * Double(i) + 1.3 * Double(t) + 0.5 * Double(k)) }
            }
            rule(&theta, g, t)
            history.append(theta)
        }
        return history
    }

    /// Largest |a − b| / (1 + |b|) over all steps, parameters and elements.
    static func maxError(_ a: [[[Float]]], _ b: [[[Double]]]) -> Double {
        var e = 0.0
        for (sa, sb) in zip(a, b) {
            for (pa, pb) in zip(sa, sb) {
                for (x, y) in zip(pa, pb) { e = max(e, abs(Double(x) - y) / (1 + abs(y))) }
            }
        }
        return e
    }
}
