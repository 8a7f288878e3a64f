import Testing
import HoneTestSupport
import HoneCompute
import HoneRandom
import HoneTensor

/// The fused recurrences split the batch across threads; every element is computed in the same
/// order whatever the split, so outputs and gradients must be bitwise identical at 1 and 3
/// threads (batch 40 spans several micro-kernel row tiles on every ISA path).
@Suite(.serialized) struct RecurrentThreadingTests {
    func run(threads: Int, gates: Int, _ body: (Tensor, Tensor) -> Tensor) -> [[Float]] {
        withThreadCount(threads) {
            var g = SeededGenerator(seed: 5)
            let (t, b, h) = (4, 40, 19)
            let x = Tensor.uniform(shape: [t, b, gates * h], low: -2, high: 2, generator: &g).requiringGrad()
            let w = Tensor.uniform(shape: [gates * h, h], low: -0.5, high: 0.5, generator: &g).requiringGrad()
            let weights = Tensor.uniform(shape: [t, b, h], low: -1, high: 1, generator: &g)
            let out = body(x, w)
            (out * weights).sum().backward()
            return [out.scalars, x.grad!.scalars, w.grad!.scalars]
        }
    }

    @Test func lstmIsBitwiseIdenticalAcrossThreadCounts() {
        let f = { (x: Tensor, w: Tensor) in Tensor.lstmSequence(inputGates: x, recurrentWeight: w) }
        let one = run(threads: 1, gates: 4, f), three = run(threads: 3, gates: 4, f)
        for (a, b) in zip(one, three) { #expect(a.map(\.bitPattern) == b.map(\.bitPattern)) }
    }

    /// The fused layer op (input projection inside), at 1 and 3 threads, against the two-op
    /// form (linear projection, then lstmSequence) within float rounding.
    @Test func fusedLSTMIsBitwiseIdenticalAcrossThreadCountsAndMatchesTwoOpForm() {
        func run(threads: Int, fused: Bool) -> [[Float]] {
            withThreadCount(threads) {
                var g = SeededGenerator(seed: 6)
                let (b, t, f, h) = (40, 4, 7, 19)
                let x = Tensor.uniform(shape: [b, t, f], low: -1, high: 1, generator: &g).requiringGrad()
                let wih = Tensor.uniform(shape: [4 * h, f], low: -0.5, high: 0.5, generator: &g).requiringGrad()
                let whh = Tensor.uniform(shape: [4 * h, h], low: -0.5, high: 0.5, generator: &g).requiringGrad()
                let bias = Tensor.uniform(shape: [4 * h], low: -0.5, high: 0.5, generator: &g).requiringGrad()
                let weights = Tensor.uniform(shape: [t, b, h], low: -1, high: 1, generator: &g)
                let out = fused ? Tensor.lstm(input: x, weightIH: wih, weightHH: whh, bias: bias)
                    : Tensor.lstmSequence(inputGates: Tensor.linear(x.permuted([1, 0, 2]), weight: wih, bias: bias), recurrentWeight: whh)
                (out * weights).sum().backward()
                return [out.scalars, x.grad!.scalars, wih.grad!.scalars, whh.grad!.scalars, bias.grad!.scalars]
            }
        }
        let one = run(threads: 1, fused: true), three = run(threads: 3, fused: true), twoOp = run(threads: 1, fused: false)
        for (a, b) in zip(one, three) { #expect(a.map(\.bitPattern) == b.map(\.bitPattern)) }
        for (a, b) in zip(one, twoOp) {
            let worst = zip(a, b).map { abs($0 - $1) / (1 + abs($1)) }.max() ?? 0
            #expect(worst < 1e-5, "fused vs two-op worst relative difference \(worst)")
        }
    }

    /// Inference's last-state op keeps two hidden-state buffers instead of T: h_T must equal the
    /// full op's last step bit for bit, at 1, 2 and 3 threads (odd T ends in the second buffer),
    /// and with recording on it is still differentiable.
    @Test(arguments: [1, 4, 5]) func lastStateEqualsTheFullSequencesLastStep(steps t: Int) {
        var g = SeededGenerator(seed: 7)
        let (b, f, h) = (40, 7, 19)
        let x = Tensor.uniform(shape: [b, t, f], low: -1, high: 1, generator: &g)
        let wih = Tensor.uniform(shape: [4 * h, f], low: -0.5, high: 0.5, generator: &g)
        let whh = Tensor.uniform(shape: [4 * h, h], low: -0.5, high: 0.5, generator: &g)
        let bias = Tensor.uniform(shape: [4 * h], low: -0.5, high: 0.5, generator: &g)
        withThreadCount(1) {
            let full = Tensor.lstm(input: x, weightIH: wih, weightHH: whh, bias: bias).select(axis: 0, index: t - 1).scalars
            for threads in [1, 2, 3] {
                Compute.threadCount = threads
                let last = withoutGradient { Tensor.lstmLastState(input: x, weightIH: wih, weightHH: whh, bias: bias) }
                #expect(last.shape == [b, h])
                #expect(last.scalars.map(\.bitPattern) == full.map(\.bitPattern), "threads \(threads)")
            }
            let wr = wih.requiringGrad()
            Tensor.lstmLastState(input: x, weightIH: wr, weightHH: whh, bias: bias).sum().backward()
            #expect(wr.grad?.shape == [4 * h, f])
        }
    }

    @Test func gruIsBitwiseIdenticalAcrossThreadCounts() {
        let bias = Tensor.full([3 * 19], 0.1)
        let f = { (x: Tensor, w: Tensor) in Tensor.gruSequence(inputGates: x, recurrentWeight: w, recurrentBias: bias) }
        let one = run(threads: 1, gates: 3, f), three = run(threads: 3, gates: 3, f)
        for (a, b) in zip(one, three) { #expect(a.map(\.bitPattern) == b.map(\.bitPattern)) }
    }
}
