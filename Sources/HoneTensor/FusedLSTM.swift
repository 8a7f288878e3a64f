import HoneCompute

extension Tensor {
    /// A whole single-layer LSTM as one autodiff op, input projection included (PyTorch
    /// `nn.LSTM(batch_first: true)` equations, gate order i|f|g|o): `input` [B, T, F],
    /// `weightIH` W_ih [4H, F], `weightHH` W_hh [4H, H], `bias` b_ih + b_hh [4H]. Returns every
    /// hₜ as [T, B, H] (h₀ = c₀ = 0).
    ///
    /// Unlike ``lstmSequence(inputGates:recurrentWeight:)`` the input projection is computed per
    /// step for each thread's rows (both weights packed once per call), so the [T, B, 4H]
    /// projection is never written to memory and read back: per step, gates = xₜ·W_ihᵀ, then
    /// += hₜ₋₁·W_hhᵀ, then the fused cell with the bias. Threads split the batch; results are
    /// bitwise identical at every thread count.
    ///
    /// ```swift
    /// let hs = Tensor.lstm(input: x, weightIH: wIH, weightHH: wHH, bias: bIH + bHH)   // [T, B, H]
    /// ```
    public static func lstm(input: Tensor, weightIH: Tensor, weightHH: Tensor, bias: Tensor) -> Tensor {
        let h = weightHH.rank == 2 ? weightHH.shape[1] : 0, g4 = 4 * h
        precondition(input.rank == 3 && weightIH.rank == 2 && weightHH.rank == 2 && weightHH.shape[0] == g4
                     && weightIH.shape == [g4, input.shape[2]] && bias.shape == [g4],
                     "lstm: input \(input.shape), weightIH \(weightIH.shape), weightHH \(weightHH.shape) and bias \(bias.shape) are incompatible (need [B, T, F], [4H, F], [4H, H], [4H])")
        let b = input.shape[0], t = input.shape[1], f = input.shape[2]
        let recording = isRecording(input, weightIH, weightHH, bias)
        let xc = input.contiguousData(), wic = weightIH.contiguousData(), whc = weightHH.contiguousData()
        let bc = bias.contiguousData()
        let fw = LSTMBuffers(steps: t, batch: b, hidden: h, recording: recording)
        var out = fw.hiddenStates
        if !fw.isEmpty { withExtendedLifetime((xc, wic, whc, bc)) {
            let px = UnsafePointer(xc.base), pb = UnsafePointer(bc.base)
            let packedIH = f > 0 ? PackedGEMMOperand(k: f, n: g4, b: wic.base, ldb: f, transB: true) : nil
            let packedHH = PackedGEMMOperand(k: h, n: g4, b: whc.base, ldb: h, transB: true)
            forEachRowBlock(b, tile: packedHH.rowTile) { r0, rows in
                for s in 0..<t {
                    let a = fw.activations(s, r0)
                    if let packedIH {
                        packedIH.multiply(m: rows, a: px + (r0 * t + s) * f, lda: t * f, beta: 0, c: a, ldc: g4)
                    } else {
                        for r in 0..<rows { (a + r * g4).update(repeating: 0, count: g4) }
                    }
                    if s > 0 {
                        packedHH.multiply(m: rows, a: fw.output(s - 1, r0), lda: h, beta: 1, c: a, ldc: g4)
                    }
                    RecurrentCell.lstmForward(rows: rows, hidden: h, inputGates: pb, inputStride: 0,
                                              recurrentGates: UnsafePointer(a), activations: a,
                                              previousCell: s > 0 ? UnsafePointer(fw.cell(s - 1, r0)) : nil,
                                              cell: fw.cell(s, r0), output: fw.output(s, r0))
                }
            }
        } }
        if recording {
            let wid = wic.detached(), whd = whc.detached(), hs = out.detached(), xd = xc.detached()
            record("lstm", &out, [input, weightIH, weightHH, bias]) { grad, needs in
                let gc = grad.contiguousData()
                let dGates = Tensor(uninitializedShape: [t, b, g4])
                var dX: Tensor? = nil, dWih: Tensor? = nil, dWhh: Tensor? = nil, dB: Tensor? = nil
                if !fw.isEmpty { withExtendedLifetime((gc, wid, whd, hs, xd, fw)) {
                    let pdg = dGates.base
                    lstmBackwardThroughTime(fw, outputGradient: gc.base, recurrentWeight: whd.base, gateGradient: pdg)
                    if needs[2] {
                        dWhh = recurrentWeightGradient(steps: t, batch: b, hidden: h, gateWidth: g4,
                                                       recurrentGradient: pdg, hiddenStates: hs.base)
                    }
                    // Input-side gradients over all (t, b) rows, with x in time-major order.
                    if (needs[0] || needs[1]) && f > 0 {
                        if needs[1] {
                            let xt = xd.permuted([1, 0, 2]).contiguous()
                            let w = Tensor(uninitializedShape: [g4, f])
                            withExtendedLifetime(xt) {
                                sgemm(transA: true, transB: false, m: g4, n: f, k: t * b, alpha: 1,
                                      a: pdg, lda: g4, b: xt.base, ldb: f, beta: 0, c: w.base, ldc: f)
                            }
                            dWih = w
                        }
                        if needs[0] {
                            let dxt = Tensor(uninitializedShape: [t, b, f])
                            sgemm(transA: false, transB: false, m: t * b, n: f, k: g4, alpha: 1,
                                  a: pdg, lda: g4, b: wid.base, ldb: f, beta: 0, c: dxt.base, ldc: f)
                            dX = dxt.permuted([1, 0, 2]).contiguous()
                        }
                    }
                    if needs[3] {
                        dB = Reduce.reduce(dGates.viewReshaped([t * b, g4]), axes: [0], SumReduce()).viewReshaped([g4])
                    }
                } }
                if needs[0] && dX == nil { dX = Tensor.zeros([b, t, f]) }
                if needs[1] && dWih == nil { dWih = Tensor.zeros([g4, f]) }
                if needs[2] && dWhh == nil { dWhh = Tensor.zeros([g4, h]) }
                if needs[3] && dB == nil { dB = Tensor.zeros([g4]) }
                return [dX, dWih, dWhh, dB]
            }
        }
        return out
    }
}
