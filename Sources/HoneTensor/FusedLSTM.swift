import HoneCompute

extension Tensor {
    /// A whole single-layer LSTM as one autodiff op, input projection included (PyTorch
    /// `nn.LSTM(batch_first: true)` equations, gate order i|f|g|o): `input` [B, T, F],
    /// `weightIH` W_ih [4H, F], `weightHH` W_hh [4H, H], `bias` b_ih + b_hh [4H]. Returns every
    /// hₜ as [T, B, H] (h₀ = c₀ = 0).
    ///
    /// Unlike ``lstmSequence(inputGates:recurrentWeight:)`` the input projection is computed per
    /// step for each thread's rows, so the [T, B, 4H] projection is never written to memory and
    /// read back: per step, gates = [xₜ | hₜ₋₁]·[W_ih | W_hh]ᵀ as one GEMM against the
    /// concatenated weight (packed once per call; the first step, with h₀ = 0, multiplies W_ih
    /// alone), then the fused cell with the bias. Threads split the batch; results are bitwise
    /// identical at every thread count.
    ///
    /// ```swift
    /// let hs = Tensor.lstm(input: x, weightIH: wIH, weightHH: wHH, bias: bIH + bHH)   // [T, B, H]
    /// ```
    public static func lstm(input: Tensor, weightIH: Tensor, weightHH: Tensor, bias: Tensor) -> Tensor {
        let h = lstmHiddenSize(input: input, weightIH: weightIH, weightHH: weightHH, bias: bias), g4 = 4 * h
        let b = input.shape[0], t = input.shape[1], f = input.shape[2]
        let recording = isRecording(input, weightIH, weightHH, bias)
        let xc = input.contiguousData(), wic = weightIH.contiguousData(), whc = weightHH.contiguousData()
        let bc = bias.contiguousData()
        let fw = LSTMBuffers(steps: t, batch: b, hidden: h, recording: recording)
        var out = fw.hiddenStates
        lstmForward(fw, input: xc, weightIH: wic, weightHH: whc, bias: bc)
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

    /// The last hidden state h_T [B, H] of ``lstm(input:weightIH:weightHH:bias:)`` — what a
    /// sequence classifier reads. Without gradient recording only two [B, H] hidden-state buffers
    /// are kept instead of all T; when recording it is `lstm(…)` at the last step.
    ///
    /// ```swift
    /// let hT = Tensor.lstmLastState(input: x, weightIH: wIH, weightHH: wHH, bias: b)   // [B, H]
    /// ```
    public static func lstmLastState(input: Tensor, weightIH: Tensor, weightHH: Tensor, bias: Tensor) -> Tensor {
        precondition(input.rank == 3 && input.shape[1] > 0, "lstmLastState: input \(input.shape) must be [B, T > 0, F]")
        if isRecording(input, weightIH, weightHH, bias) {
            let hs = lstm(input: input, weightIH: weightIH, weightHH: weightHH, bias: bias)
            return hs.select(axis: 0, index: hs.shape[0] - 1)
        }
        let h = lstmHiddenSize(input: input, weightIH: weightIH, weightHH: weightHH, bias: bias)
        let fw = LSTMBuffers(steps: input.shape[1], batch: input.shape[0], hidden: h, recording: false, allHiddenStates: false)
        lstmForward(fw, input: input.contiguousData(), weightIH: weightIH.contiguousData(),
                    weightHH: weightHH.contiguousData(), bias: bias.contiguousData())
        return fw.lastHiddenState
    }

    /// H, after checking the shapes [B, T, F], [4H, F], [4H, H] and [4H].
    static func lstmHiddenSize(input: Tensor, weightIH: Tensor, weightHH: Tensor, bias: Tensor) -> Int {
        let h = weightHH.rank == 2 ? weightHH.shape[1] : 0, g4 = 4 * h
        precondition(input.rank == 3 && weightIH.rank == 2 && weightHH.rank == 2 && weightHH.shape[0] == g4
                     && weightIH.shape == [g4, input.shape[2]] && bias.shape == [g4],
                     "lstm: input \(input.shape), weightIH \(weightIH.shape), weightHH \(weightHH.shape) and bias \(bias.shape) are incompatible (need [B, T, F], [4H, F], [4H, H], [4H])")
        return h
    }

    /// The fused forward into `fw`: contiguous `xc` [B, T, F], `wic` [4H, F], `whc` [4H, H], `bc` [4H].
    static func lstmForward(_ fw: LSTMBuffers, input xc: Tensor, weightIH wic: Tensor, weightHH whc: Tensor, bias bc: Tensor) {
        let b = fw.batch, t = fw.steps, h = fw.hidden, g4 = 4 * h, f = xc.shape[2]
        if fw.isEmpty { return }
        withExtendedLifetime((xc, wic, whc, bc)) {
            let px = UnsafePointer(xc.base), pb = UnsafePointer(bc.base)
            // [W_ih | W_hh] as one [4H, F+H] operand: after the first step each step is one GEMM
            // of [xₜ | hₜ₋₁] (k = F+H), so C is written once instead of written, read and
            // written again, and the short k = F product never runs on its own.
            let kx = f + h
            let wxh = UnsafeMutablePointer<Float>.allocate(capacity: g4 * kx)
            for r in 0..<g4 {
                (wxh + r * kx).update(from: wic.base + r * f, count: f)
                (wxh + r * kx + f).update(from: whc.base + r * h, count: h)
            }
            let packedXH = PackedGEMMOperand(k: kx, n: g4, b: wxh, ldb: kx, transB: true)
            wxh.deallocate()
            let packedIH = f > 0 ? PackedGEMMOperand(k: f, n: g4, b: wic.base, ldb: f, transB: true) : nil
            forEachRowBlock(b, tile: packedXH.rowTile) { r0, rows in
                let xh = UnsafeMutablePointer<Float>.allocate(capacity: rows * kx)
                defer { xh.deallocate() }
                for s in 0..<t {
                    let a = fw.activations(s, r0)
                    if s == 0 {
                        // h₀ = 0: only the input product.
                        if let packedIH {
                            packedIH.multiply(m: rows, a: px + r0 * t * f, lda: t * f, beta: 0, c: a, ldc: g4)
                        } else {
                            for r in 0..<rows { (a + r * g4).update(repeating: 0, count: g4) }
                        }
                    } else {
                        let hPrev = UnsafePointer(fw.output(s - 1, r0))
                        for r in 0..<rows {
                            (xh + r * kx).update(from: px + ((r0 + r) * t + s) * f, count: f)
                            (xh + r * kx + f).update(from: hPrev + r * h, count: h)
                        }
                        packedXH.multiply(m: rows, a: xh, lda: kx, beta: 0, c: a, ldc: g4)
                    }
                    RecurrentCell.lstmForward(rows: rows, hidden: h, inputGates: pb, inputStride: 0,
                                              recurrentGates: UnsafePointer(a), activations: a,
                                              previousCell: s > 0 ? UnsafePointer(fw.cell(s - 1, r0)) : nil,
                                              cell: fw.cell(s, r0), output: fw.output(s, r0))
                }
            }
        }
    }
}
