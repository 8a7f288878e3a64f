import Testing
import HoneNN
import HoneTensor

/// `Optimizer.state()` / `restore(_:)`: an optimizer restored from a snapshot continues with
/// the same bits as the one it was taken from.
@Suite struct OptimizerStateTests {
    static func step(_ opt: Optimizer, _ params: [(String, Parameter)], _ t: Int) {
        for (k, (_, p)) in params.enumerated() {
            p.value.grad = Tensor(shape: p.shape, scalars: OptimizerFixture.gradient(p.value.scalars, step: t, parameter: k))
        }
        opt.step()
    }

    @Test(arguments: ["adam", "amsgrad", "sgd-momentum", "rmsprop", "adagrad", "partition"])
    func restoredOptimizerContinuesIdentically(kind: String) throws {
        func make() -> any GradientTransformation {
            switch kind {
            case "adam": return adam(learningRate: 1e-2)
            case "amsgrad": return adam(learningRate: 1e-2, amsgrad: true)
            case "sgd-momentum": return sgd(learningRate: 0.1, momentum: 0.9, nesterov: true)
            case "rmsprop": return rmsprop(learningRate: 1e-2, centered: true, momentum: 0.5)
            case "adagrad": return adagrad(learningRate: 0.1)
            default: return partition([("head.", sgd(learningRate: 0.1, momentum: 0.9))], default: adam(learningRate: 1e-2))
            }
        }
        let straight = OptimizerFixture.parameters()
        let a = Optimizer(parameters: straight, make())
        for t in 1...3 { Self.step(a, straight, t) }
        let saved = a.state()
        #expect(saved.step == 3 && saved.parameterSteps == [3, 3])
        #expect(!saved.arrays.isEmpty)
        #expect(saved.arrays.values.contains { $0.contains { $0 != 0 } }, "the state after three steps is not all zeros")

        // A fresh optimizer on a copy of the parameters, restored from the snapshot.
        let resumed = OptimizerFixture.parameters()
        for ((_, p), (_, q)) in zip(resumed, straight) { p.value = Tensor(shape: q.shape, scalars: q.value.scalars) }
        let b = Optimizer(parameters: resumed, make())
        try b.restore(saved)
        #expect(b.state() == saved)
        for t in 4...6 { Self.step(a, straight, t); Self.step(b, resumed, t) }
        for ((_, p), (_, q)) in zip(resumed, straight) { #expect(p.value.scalars == q.value.scalars) }
        #expect(b.stepCount == 6)
    }

    @Test func restoreRejectsStateOfAnotherOptimizer() {
        let params = OptimizerFixture.parameters()
        let adamState = Optimizer(parameters: params, adam(learningRate: 1e-3)).state()
        let sgdOptimizer = Optimizer(parameters: params, sgd(learningRate: 0.1, momentum: 0.9))
        #expect(throws: OptimizerStateError.self) { try sgdOptimizer.restore(adamState) }
        var wrongSize = adamState
        wrongSize.arrays[wrongSize.arrays.keys.sorted()[0]]!.append(0)
        #expect(throws: OptimizerStateError.self) { try Optimizer(parameters: params, adam(learningRate: 1e-3)).restore(wrongSize) }
    }
}
