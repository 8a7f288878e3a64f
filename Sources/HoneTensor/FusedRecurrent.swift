import HoneCompute

/// Whole-sequence LSTM and GRU recurrences as single autodiff ops (the cuDNN approach): the
/// caller computes every timestep's input projection with one GEMM; here each step costs one
/// recurrent GEMM against a weight packed once per call (`PackedGEMMOperand`) plus one fused,
/// vectorized pass of gate math (`RecurrentCell`). The backward (back-propagation through time)
/// runs one GEMM per step for ∂h and a single GEMM over all steps for ∂W_hh.
///
/// Batch rows never interact in a recurrence, so threads split the batch (at micro-kernel row
/// tiles) and each runs the whole sequence for its rows with no synchronisation between steps;
/// every element is computed in the same order whatever the thread count, so results are
/// bitwise identical at every thread count. Initial states are zero.
extension Tensor {
    /// LSTM over a sequence (PyTorch `nn.LSTM` equations, gate order i|f|g|o, FIELD-GUIDE §1.4):
    /// `inputGates` [T, B, 4H] holds W_ih·xₜ + b_ih + b_hh; `recurrentWeight` is W_hh [4H, H].
    /// Per step, a = inputGatesₜ + W_hh·hₜ₋₁; i, f, o = σ(a…), g = tanh(a…); cₜ = f⊙cₜ₋₁ + i⊙g;
    /// hₜ = o⊙tanh(cₜ). Returns every hₜ as [T, B, H] (h₀ = c₀ = 0).
    ///
    /// ```swift
    /// let xg = Tensor.linear(xTimeMajor, weight: wIH, bias: bIH + bHH)        // [T, B, 4H]
    /// let hs = Tensor.lstmSequence(inputGates: xg, recurrentWeight: wHH)      // [T, B, H]
    /// ```
    public static func lstmSequence(inputGates: Tensor, recurrentWeight: Tensor) -> Tensor {
        precondition(inputGates.rank == 3 && recurrentWeight.rank == 2 && recurrentWeight.shape[0] == 4 * recurrentWeight.shape[1]
                     && inputGates.shape[2] == recurrentWeight.shape[0],
                     "lstmSequence: inputGates \(inputGates.shape) and recurrentWeight \(recurrentWeight.shape) are incompatible (need [T, B, 4H] and [4H, H])")
        let t = inputGates.shape[0], b = inputGates.shape[1], h = recurrentWeight.shape[1], g4 = 4 * h
        let recording = isRecording(inputGates, recurrentWeight)
        let xc = inputGates.contiguousData(), wc = recurrentWeight.contiguousData()
        let fw = LSTMBuffers(steps: t, batch: b, hidden: h, recording: recording)
        var out = fw.hiddenStates
        if !fw.isEmpty { withExtendedLifetime((xc, wc)) {
            let px = UnsafePointer(xc.base)
            let packed = PackedGEMMOperand(k: h, n: g4, b: wc.base, ldb: h, transB: true)
            forEachRowBlock(b, tile: packed.rowTile) { r0, rows in
                for s in 0..<t {
                    let a = fw.activations(s, r0)
                    if s > 0 {
                        packed.multiply(m: rows, a: fw.output(s - 1, r0), lda: h, beta: 0, c: a, ldc: g4)
                    }
                    RecurrentCell.lstmForward(rows: rows, hidden: h, inputGates: px + (s * b + r0) * g4, inputStride: g4,
                                              recurrentGates: s > 0 ? UnsafePointer(a) : nil, activations: a,
                                              previousCell: s > 0 ? UnsafePointer(fw.cell(s - 1, r0)) : nil,
                                              cell: fw.cell(s, r0), output: fw.output(s, r0))
                }
            }
        } }
        if recording {
            let wd = wc.detached(), hs = out.detached()
            record("lstmSequence", &out, [inputGates, recurrentWeight]) { grad, needs in
                let gc = grad.contiguousData()
                let dGates = Tensor(uninitializedShape: [t, b, g4])
                var dW: Tensor? = nil
                if !fw.isEmpty { withExtendedLifetime((gc, wd, hs, fw)) {
                    lstmBackwardThroughTime(fw, outputGradient: gc.base, recurrentWeight: wd.base, gateGradient: dGates.base)
                    if needs[1] {
                        dW = recurrentWeightGradient(steps: t, batch: b, hidden: h, gateWidth: g4,
                                                     recurrentGradient: dGates.base, hiddenStates: hs.base)
                    }
                } }
                return [needs[0] ? dGates : nil, needs[1] ? (dW ?? Tensor.zeros([g4, h])) : nil]
            }
        }
        return out
    }

    /// GRU over a sequence (PyTorch `nn.GRU` equations, gate order r|z|n, FIELD-GUIDE §1.4):
    /// `inputGates` [T, B, 3H] holds W_ih·xₜ + b_ih; `recurrentWeight` W_hh [3H, H] and
    /// `recurrentBias` b_hh [3H]. Per step, with u = W_hh·hₜ₋₁ + b_hh: r = σ(xᵣ + uᵣ),
    /// z = σ(x_z + u_z), n = tanh(xₙ + r⊙uₙ), hₜ = (1 − z)⊙n + z⊙hₜ₋₁. Returns [T, B, H] (h₀ = 0).
    ///
    /// ```swift
    /// let hs = Tensor.gruSequence(inputGates: xg, recurrentWeight: wHH, recurrentBias: bHH)
    /// ```
    public static func gruSequence(inputGates: Tensor, recurrentWeight: Tensor, recurrentBias: Tensor) -> Tensor {
        precondition(inputGates.rank == 3 && recurrentWeight.rank == 2 && recurrentWeight.shape[0] == 3 * recurrentWeight.shape[1]
                     && inputGates.shape[2] == recurrentWeight.shape[0] && recurrentBias.shape == [recurrentWeight.shape[0]],
                     "gruSequence: inputGates \(inputGates.shape), recurrentWeight \(recurrentWeight.shape) and recurrentBias \(recurrentBias.shape) are incompatible (need [T, B, 3H], [3H, H], [3H])")
        let t = inputGates.shape[0], b = inputGates.shape[1], h = recurrentWeight.shape[1], g3 = 3 * h
        let recording = isRecording(inputGates, recurrentWeight, recurrentBias)
        let xc = inputGates.contiguousData(), wc = recurrentWeight.contiguousData(), bc = recurrentBias.contiguousData()
        // acts: r|z|n; hiddenN: uₙ = (W_hh·hₜ₋₁ + b_hh)ₙ — every step's when recording, else one
        // step's. u: one step's W_hh·hₜ₋₁.
        let acts = Tensor(uninitializedShape: recording ? [t, b, g3] : [b, g3])
        let hiddenN = Tensor(uninitializedShape: recording ? [t, b, h] : [b, h])
        let u = Tensor(uninitializedShape: [b, g3])
        var out = Tensor(uninitializedShape: [t, b, h])
        let nonEmpty = t > 0 && b > 0 && h > 0
        let pa = acts.base, pn = hiddenN.base, ph = out.base, pu = u.base
        if nonEmpty { withExtendedLifetime((xc, wc, bc, u)) {
            let px = UnsafePointer(xc.base), pb = UnsafePointer(bc.base)
            let packed = PackedGEMMOperand(k: h, n: g3, b: wc.base, ldb: h, transB: true)
            forEachRowBlock(b, tile: packed.rowTile) { r0, rows in
                for s in 0..<t {
                    let step = recording ? s * b : 0
                    if s > 0 {
                        packed.multiply(m: rows, a: ph + ((s - 1) * b + r0) * h, lda: h, beta: 0, c: pu + r0 * g3, ldc: g3)
                    }
                    RecurrentCell.gruForward(rows: rows, hidden: h, inputGates: px + (s * b + r0) * g3, inputStride: g3,
                                             recurrentGates: s > 0 ? UnsafePointer(pu + r0 * g3) : nil, recurrentBias: pb,
                                             previousHidden: s > 0 ? UnsafePointer(ph + ((s - 1) * b + r0) * h) : nil,
                                             activations: pa + (step + r0) * g3, recurrentN: pn + (step + r0) * h,
                                             output: ph + (s * b + r0) * h)
                }
            }
        } }
        if recording {
            let wd = wc.detached(), hs = out.detached()
            record("gruSequence", &out, [inputGates, recurrentWeight, recurrentBias]) { grad, needs in
                let gc = grad.contiguousData()
                let dX = Tensor(uninitializedShape: [t, b, g3]), dU = Tensor(uninitializedShape: [t, b, g3])
                let dh = Tensor.zeros([b, h])
                var dW: Tensor? = nil, dB: Tensor? = nil
                if nonEmpty { withExtendedLifetime((gc, wd, hs, acts, hiddenN)) {
                    let pg = UnsafePointer(gc.base), phs = UnsafePointer(hs.base)
                    let pdx = dX.base, pdu = dU.base, pdh = dh.base
                    let packed = PackedGEMMOperand(k: g3, n: h, b: wd.base, ldb: h, transB: false)
                    forEachRowBlock(b, tile: packed.rowTile) { r0, rows in
                        for s in stride(from: t - 1, through: 0, by: -1) {
                            let o = (s * b + r0) * g3
                            RecurrentCell.gruBackward(rows: rows, hidden: h, activations: pa + o, recurrentN: pn + (s * b + r0) * h,
                                                      previousHidden: s > 0 ? phs + ((s - 1) * b + r0) * h : nil,
                                                      outputGradient: pg + (s * b + r0) * h, hiddenGradient: pdh + r0 * h,
                                                      inputGradient: pdx + o, recurrentGradient: pdu + o)
                            if s > 0 {
                                packed.multiply(m: rows, a: pdu + o, lda: g3, beta: 1, c: pdh + r0 * h, ldc: h)
                            }
                        }
                    }
                    if needs[1] {
                        dW = recurrentWeightGradient(steps: t, batch: b, hidden: h, gateWidth: g3,
                                                     recurrentGradient: pdu, hiddenStates: phs)
                    }
                    if needs[2] {
                        var sums = [Double](repeating: 0, count: g3)
                        for row in 0..<(t * b) {
                            let du = pdu + row * g3
                            for j in 0..<g3 { sums[j] += Double(du[j]) }
                        }
                        dB = Tensor(shape: [g3], scalars: sums.map { Float($0) })
                    }
                } }
                if !nonEmpty {   // every gradient is empty or zero
                    if needs[1] { dW = Tensor.zeros([g3, h]) }
                    if needs[2] { dB = Tensor.zeros([g3]) }
                }
                return [needs[0] ? dX : nil, dW, dB]
            }
        }
        return out
    }
}
