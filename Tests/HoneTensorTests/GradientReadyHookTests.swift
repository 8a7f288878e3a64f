import Testing
import HoneTensor

/// `backward(watching:gradientReady:)`: the per-leaf "gradient is final" hook that
/// data-parallel training uses to start all-reduces during the backward sweep.
@Suite struct GradientReadyHookTests {
    /// A two-layer chain: w2 (used last in forward) is reported first, while w1 has no gradient
    /// yet; every watched leaf is reported once, with its final gradient already stored, and the
    /// gradients equal those of plain `backward()`.
    @Test func reportsEachLeafOnceInReverseOrderWithFinalGradients() {
        func graph() -> (Tensor, Tensor, Tensor, Tensor) {
            let x = Tensor(shape: [2, 3], scalars: [1, -2, 0.5, 3, 0.25, -1])
            let w1 = Tensor(shape: [3, 4], scalars: (0..<12).map { Float($0) * 0.1 - 0.5 }).requiringGrad()
            let b1 = Tensor([0.1, -0.2, 0.3, 0]).requiringGrad()
            let w2 = Tensor(shape: [4, 2], scalars: (0..<8).map { Float($0) * -0.2 + 0.7 }).requiringGrad()
            let loss = ((x.matmul(w1) + b1).relu().matmul(w2)).square().sum()
            return (loss, w1, b1, w2)
        }
        let (plainLoss, p1, pb, p2) = graph()
        plainLoss.backward()

        let (loss, w1, b1, w2) = graph()
        let leaves = [w1, b1, w2]
        var reported: [Int] = []
        var w1HadGradWhenW2Ready = true
        loss.backward(watching: leaves) { i in
            reported.append(i)
            #expect(leaves[i].grad != nil, "leaf \(i) reported before its gradient was stored")
            if i == 2 { w1HadGradWhenW2Ready = w1.grad != nil }
        }
        #expect(reported.count == 3 && Set(reported) == [0, 1, 2])
        #expect(reported.first == 2, "the last layer's weight is final first, got order \(reported)")
        #expect(!w1HadGradWhenW2Ready, "w2 was reported only after the sweep reached w1")
        #expect(w1.grad!.scalars == p1.grad!.scalars)
        #expect(b1.grad!.scalars == pb.grad!.scalars)
        #expect(w2.grad!.scalars == p2.grad!.scalars)
    }

    /// A leaf used by two ops is reported once, after both contributions were summed; a leaf
    /// that is the first input of its op (so a depth-first order would reach it only at the
    /// end) is still reported as soon as that op is done; an unused leaf is never reported.
    @Test func sharedLeavesWaitForAllConsumersAndUnusedLeavesAreSkipped() {
        let x = Tensor([1, 2, 3]).requiringGrad()
        let a = Tensor([2, 2, 2]).requiringGrad()
        let unused = Tensor([5]).requiringGrad()
        // a is the first input of the last op; x feeds two ops (x·x and ·a).
        let h = x * x + x
        let loss = (a * h).sum()
        var order: [Int] = []
        var xHadGradWhenAReady: Bool?
        loss.backward(watching: [x, a, unused]) { i in
            order.append(i)
            if i == 1 { xHadGradWhenAReady = x.grad != nil }
        }
        #expect(order == [1, 0])
        #expect(xHadGradWhenAReady == false, "a must be reported before the sweep goes on to x")
        #expect(x.grad!.scalars == [6, 10, 14])        // a·(2x + 1)
        #expect(a.grad!.scalars == [2, 6, 12])          // x² + x
        #expect(unused.grad == nil)
    }

    /// Gradients still accumulate over calls, and the hook reports the accumulated value.
    @Test func accumulatesLikePlainBackward() {
        let w = Tensor([1, -2]).requiringGrad()
        (w * 3).sum().backward()
        var seen: [Float] = []
        (w * w).sum().backward(watching: [w]) { _ in seen = w.grad!.scalars }
        #expect(seen == [5, -1])
        #expect(w.grad!.scalars == [5, -1])
    }
}
