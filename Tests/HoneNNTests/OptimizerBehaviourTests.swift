import Testing
import HoneNN
import HoneTensor

@Suite struct OptimizerBehaviourTests {
    @Test func stepClearsGradientsAndSkipsParametersWithoutOne() {
        let a = Parameter(Tensor([1, 2, 3])), b = Parameter(Tensor([4, 5]))
        let opt = Optimizer(parameters: [("a", a), ("b", b)], sgd(learningRate: 0.5))
        a.value.grad = Tensor([1, 1, 1])
        opt.step()
        #expect(a.value.scalars == [0.5, 1.5, 2.5])
        #expect(b.value.scalars == [4, 5])
        #expect(a.grad == nil)
        #expect(opt.stepCount == 1)
        #expect(a.value.requiresGrad)
    }

    @Test func learningRateScaleMultipliesEveryRate() {
        let a = Parameter(Tensor([1, 1]))
        let opt = Optimizer(parameters: [("a", a)], sgd(learningRate: 0.5))
        opt.learningRateScale = 0.1
        a.value.grad = Tensor([2, -2])
        opt.step()
        #expect(a.value.scalars == [0.9, 1.1])
    }

    @Test func largeParametersRunInChunksAndMatchSmallOnes() {
        // 100_003 elements: many chunks, an uneven tail, and the parallel path.
        let n = 100_003
        let values = (0..<n).map { Float($0 % 17) * 0.1 - 0.8 }
        let grads = (0..<n).map { Float(($0 * 7) % 13) * 0.05 - 0.3 }
        let big = Parameter(Tensor(values))
        let opt = Optimizer(parameters: [("big", big)], chain(clipByGlobalNorm(10), adam(learningRate: 0.01)))
        big.value.grad = Tensor(grads)
        opt.step()
        let norm = grads.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        let f = Float(min(1, 10 / (norm + 1e-6)))
        let got = big.value.scalars
        for i in stride(from: 0, to: n, by: 997) {
            let g = grads[i] * f
            // First Adam step: m̂ = g, v̂ = g², so the step is lr·g/(|g| + ε).
            let want = values[i] - 0.01 * g / (abs(g) + 1e-8)
            #expect(abs(got[i] - want) < 1e-6, "element \(i)")
        }
    }

    @Test func stepUpdatesTheParameterBufferInPlace() {
        let p = Parameter(Tensor.zeros([4096]))
        let opt = Optimizer(parameters: [("p", p)], sgd(learningRate: 1))
        let before = p.value.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        p.value.grad = Tensor.ones([4096])
        opt.step()
        let after = p.value.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        #expect(before == after)
        #expect(p.value.scalars.allSatisfy { $0 == -1 })
    }

    @Test func partitionSendsEachParameterToItsFirstMatchingGroup() {
        let g = partition([("enc.", sgd(learningRate: 1)), ("enc.norm", sgd(learningRate: 100))],
                          default: sgd(learningRate: 0.5))
        #expect(g.group(of: "enc.norm.weight") == 0)
        #expect(g.group(of: "head.bias") == 2)
        let a = Parameter(Tensor([0])), b = Parameter(Tensor([0]))
        let opt = Optimizer(parameters: [("enc.w", a), ("head.w", b)], g)
        a.value.grad = Tensor([1]); b.value.grad = Tensor([1])
        opt.step()
        #expect(a.value.scalars == [-1])
        #expect(b.value.scalars == [-0.5])
    }
}
