import Testing
import HoneTensor

@Suite struct AutogradTests {
    @Test func chainRuleAndSharedSubexpressions() {
        let x = Tensor([1, 2, 3]).requiringGrad()
        let y = x * x + x          // dy/dx = 2x + 1, x used twice
        y.sum().backward()
        #expect(x.grad!.scalars == [3, 5, 7])
    }

    @Test func accumulationAcrossBackwardCallsAndZeroGrad() {
        let w = Tensor([1, -2]).requiringGrad()
        let loss = (w * 3).sum()
        loss.backward(retainGraph: true)
        loss.backward()            // same graph again: accumulates
        #expect(w.grad!.scalars == [6, 6])
        (w * w).sum().backward()   // another graph: accumulates 2w
        #expect(w.grad!.scalars == [8, 2])
        w.zeroGrad()
        #expect(w.grad == nil)
        (w * 2).sum().backward()
        #expect(w.grad!.scalars == [2, 2])
    }

    @Test func noGradModeRecordsNothing() {
        let w = Tensor([1, 2]).requiringGrad()
        let y = withoutGradient { w * 2 }
        #expect(!y.requiresGrad)
        #expect(GradMode.isEnabled)
        let z = w * 2
        #expect(z.requiresGrad && !z.isLeaf)
    }

    @Test func detachStopsGradient() {
        let x = Tensor([2, 3]).requiringGrad()
        let y = x * x.detached()   // gradient only through the first factor
        y.sum().backward()
        #expect(x.grad!.scalars == [2, 3])
        #expect(!x.detached().requiresGrad)
    }

    @Test func functionalGradientsWithRespectToInputs() {
        let x = Tensor([1, 2]).requiringGrad()
        let w = Tensor([3, 4]).requiringGrad()
        let h = x * w
        let loss = (h * h).sum()
        let g = gradients(of: loss, wrt: [x, w, h], retainGraph: true)
        #expect(g[0].scalars == [18, 64])    // 2 x w²
        #expect(g[1].scalars == [6, 32])     // 2 x² w
        #expect(g[2].scalars == [6, 16])     // 2 h
        #expect(x.grad == nil && w.grad == nil)   // leaves untouched
        let unrelated = Tensor([1]).requiringGrad()
        #expect(gradients(of: loss, wrt: [unrelated])[0].scalars == [0])
    }

    @Test func seedForNonScalarOutputs() {
        let x = Tensor([1, 2, 3]).requiringGrad()
        (x * 2).backward(seed: Tensor([1, 0, -1]))
        #expect(x.grad!.scalars == [2, 0, -2])
    }

    @Test func inPlaceUpdateKeepsParameterIdentity() {
        var w = Tensor([1, 1]).requiringGrad()
        (w * Tensor([2, 3])).sum().backward()
        let g = w.grad!
        withoutGradient { w -= 0.5 * g }
        #expect(w.scalars == [0, -0.5])
        #expect(w.requiresGrad && w.isLeaf)
        #expect(w.grad!.scalars == [2, 3])   // update does not touch the gradient
        w.zeroGrad()
        (w * 2).sum().backward()
        #expect(w.grad!.scalars == [2, 2])
        // A raw-buffer update also keeps identity.
        w.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] = 7 } }
        #expect(w.scalars == [7, 7] && w.requiresGrad)
    }

    @Test func inPlaceOnIntermediateIsRecorded() {
        let x = Tensor([1, 2]).requiringGrad()
        var y = x * 3
        y += x                       // y = 4x, recorded
        y.sum().backward()
        #expect(x.grad!.scalars == [4, 4])
    }

    @Test func deepChainDoesNotOverflowTheStack() {
        let x = Tensor([1]).requiringGrad()
        var y = x
        for _ in 0..<20_000 { y = y * 1 }
        y.sum().backward()
        #expect(x.grad!.scalars == [1])
    }

    @Test func gradientThroughBroadcastHasInputShape() {
        let b = Tensor.zeros([3]).requiringGrad()
        let x = Tensor.ones([4, 3])
        (x + b).sum().backward()
        #expect(b.grad!.shape == [3] && b.grad!.scalars == [4, 4, 4])
    }

    @Test func requiresGradToggle() {
        var t = Tensor([1, 2])
        #expect(!t.requiresGrad)
        t.requiresGrad = true
        #expect(t.requiresGrad && t.isLeaf)
        t.requiresGrad = false
        #expect(!t.requiresGrad)
    }
}

@Suite struct CustomOpTests {
    @Test func handWrittenBackwardMatchesFiniteDifferences() {
        checkGradient(shapes: [[3, 4], [4]], op: { (x: [Tensor]) -> Tensor in
            let a = x[0], b = x[1]
            let value = withoutGradient { a * a * b }
            return Tensor.customOp("a²b", output: value, inputs: [a, b]) { g, needs in
                let ad = a.detached(), bd = b.detached()
                return [needs[0] ? g * 2 * ad * bd : nil, needs[1] ? (g * ad.square()).sum(axes: [0]) : nil]
            }
        }, reference: { (x: [D]) -> D in x[0] * x[0] * x[1] })
    }

    @Test func untrackedInputsGiveUntrackedOutput() {
        let y = Tensor.customOp("id", output: Tensor([1, 2]), inputs: [Tensor([1, 2])]) { g, _ in [g] }
        #expect(!y.requiresGrad && y.scalars == [1, 2])
    }
}
