import Testing
import HoneCompute
import HoneRandom
import HoneTensor

/// The fused recurrences split the batch across threads; every element is computed in the same
/// order whatever the split, so outputs and gradients must be bitwise identical at 1 and 3
/// threads (batch 40 spans several micro-kernel row tiles on every ISA path).
@Suite(.serialized) struct RecurrentThreadingTests {
    func run(threads: Int, gates: Int, _ body: (Tensor, Tensor) -> Tensor) -> [[Float]] {
        let saved = Compute.threadCount
        Compute.threadCount = threads
        defer { Compute.threadCount = saved }
        var g = SeededGenerator(seed: 5)
        let (t, b, h) = (4, 40, 19)
        let x = Tensor.uniform(shape: [t, b, gates * h], low: -2, high: 2, generator: &g).requiringGrad()
        let w = Tensor.uniform(shape: [gates * h, h], low: -0.5, high: 0.5, generator: &g).requiringGrad()
        let weights = Tensor.uniform(shape: [t, b, h], low: -1, high: 1, generator: &g)
        let out = body(x, w)
        (out * weights).sum().backward()
        return [out.scalars, x.grad!.scalars, w.grad!.scalars]
    }

    @Test func lstmIsBitwiseIdenticalAcrossThreadCounts() {
        let f = { (x: Tensor, w: Tensor) in Tensor.lstmSequence(inputGates: x, recurrentWeight: w) }
        let one = run(threads: 1, gates: 4, f), three = run(threads: 3, gates: 4, f)
        for (a, b) in zip(one, three) { #expect(a.map(\.bitPattern) == b.map(\.bitPattern)) }
    }

    @Test func gruIsBitwiseIdenticalAcrossThreadCounts() {
        let bias = Tensor.full([3 * 19], 0.1)
        let f = { (x: Tensor, w: Tensor) in Tensor.gruSequence(inputGates: x, recurrentWeight: w, recurrentBias: bias) }
        let one = run(threads: 1, gates: 3, f), three = run(threads: 3, gates: 3, f)
        for (a, b) in zip(one, three) { #expect(a.map(\.bitPattern) == b.map(\.bitPattern)) }
    }
}
