import HoneCompute

/// The forward buffers of the fused LSTM ops (``Tensor/lstm(input:weightIH:weightHH:bias:)``
/// and ``Tensor/lstmSequence(inputGates:recurrentWeight:)``): gate activations i|f|g|o and
/// cells cₜ for every step when recording (the backward needs them), else one step's
/// activations and two alternating cell buffers; and every hₜ as [T, B, H], or with
/// `allHiddenStates: false` (inference wanting only h_T) two alternating [B, H] buffers.
struct LSTMBuffers {
    let steps: Int, batch: Int, hidden: Int, recording: Bool, allHiddenStates: Bool
    let gateActivations: Tensor, cells: Tensor, hiddenStates: Tensor

    init(steps: Int, batch: Int, hidden: Int, recording: Bool, allHiddenStates: Bool = true) {
        precondition(allHiddenStates || !recording, "LSTMBuffers: the backward needs every hidden state")
        self.steps = steps; self.batch = batch; self.hidden = hidden; self.recording = recording
        self.allHiddenStates = allHiddenStates
        gateActivations = Tensor(uninitializedShape: recording ? [steps, batch, 4 * hidden] : [batch, 4 * hidden])
        cells = Tensor(uninitializedShape: recording ? [steps, batch, hidden] : [2, batch, hidden])
        hiddenStates = Tensor(uninitializedShape: [allHiddenStates ? steps : 2, batch, hidden])
    }

    /// True when there is no work: no steps, rows or hidden units.
    var isEmpty: Bool { steps == 0 || batch == 0 || hidden == 0 }

    /// Step `s`'s gate activations [rows, 4H] from batch row `r0`.
    func activations(_ s: Int, _ r0: Int) -> UnsafeMutablePointer<Float> {
        gateActivations.base + ((recording ? s * batch : 0) + r0) * 4 * hidden
    }

    /// Step `s`'s cells cₛ [rows, H] from batch row `r0`.
    func cell(_ s: Int, _ r0: Int) -> UnsafeMutablePointer<Float> {
        cells.base + ((recording ? s : s & 1) * batch + r0) * hidden
    }

    /// Step `s`'s hidden states hₛ [rows, H] from batch row `r0`.
    func output(_ s: Int, _ r0: Int) -> UnsafeMutablePointer<Float> {
        hiddenStates.base + ((allHiddenStates ? s : s & 1) * batch + r0) * hidden
    }

    /// The last step's hidden states h_T as a [B, H] tensor (a view when they are all kept).
    var lastHiddenState: Tensor {
        hiddenStates.select(axis: 0, index: allHiddenStates ? steps - 1 : (steps - 1) & 1)
    }
}

extension Tensor {
    /// Runs `body(firstRow, rowCount)` over `[0, batch)` split at multiples of `tile` rows across
    /// the thread pool.
    static func forEachRowBlock(_ batch: Int, tile: Int, _ body: (Int, Int) -> Void) {
        let tiles = (batch + tile - 1) / tile
        Parallel.forRange(tiles, minChunk: 1) { r in
            let r0 = r.lowerBound * tile, r1 = Swift.min(batch, r.upperBound * tile)
            if r0 < r1 { body(r0, r1 - r0) }
        }
    }

    /// Back-propagation through time of the LSTM cell, last step first: fills `gateGradient`
    /// [T, B, 4H] with ∂L/∂(gate pre-activations) from ∂L/∂hₜ in `outputGradient` [T, B, H] and
    /// the recorded forward `f`; ∂hₜ₋₁ = ∂gatesₜ·W_hh flows back through `recurrentWeight` W_hh
    /// [4H, H] (packed once). Threads split the batch as in the forward.
    static func lstmBackwardThroughTime(_ f: LSTMBuffers, outputGradient: UnsafePointer<Float>,
                                        recurrentWeight: UnsafePointer<Float>, gateGradient: UnsafeMutablePointer<Float>) {
        let t = f.steps, b = f.batch, h = f.hidden, g4 = 4 * h
        let dh = Tensor(uninitializedShape: [b, h]), dc = Tensor.zeros([b, h])
        withExtendedLifetime((dh, dc)) {
            let pdh = dh.base, pdc = dc.base
            let packed = PackedGEMMOperand(k: g4, n: h, b: recurrentWeight, ldb: h, transB: false)
            forEachRowBlock(b, tile: packed.rowTile) { r0, rows in
                for s in stride(from: t - 1, through: 0, by: -1) {
                    let d = gateGradient + (s * b + r0) * g4
                    RecurrentCell.lstmBackward(rows: rows, hidden: h, activations: f.activations(s, r0), cell: f.cell(s, r0),
                                               previousCell: s > 0 ? UnsafePointer(f.cell(s - 1, r0)) : nil,
                                               outputGradient: outputGradient + (s * b + r0) * h,
                                               recurrentGradient: s < t - 1 ? UnsafePointer(pdh + r0 * h) : nil,
                                               cellGradient: pdc + r0 * h, gateGradient: d)
                    if s > 0 {
                        packed.multiply(m: rows, a: d, lda: g4, beta: 0, c: pdh + r0 * h, ldc: h)
                    }
                }
            }
        }
    }

    /// ∂W_hh [G, H] = Σₜ₌₁ ∂uₜᵀ·hₜ₋₁ over every step after the first and every row, as one GEMM:
    /// `recurrentGradient` [T, B, G] holds ∂L/∂uₜ for the recurrent pre-activations uₜ = W_hh·hₜ₋₁
    /// (G = 4H for LSTM, 3H for GRU), `hiddenStates` [T, B, H] every hₜ.
    static func recurrentWeightGradient(steps t: Int, batch b: Int, hidden h: Int, gateWidth g: Int,
                                        recurrentGradient: UnsafePointer<Float>, hiddenStates: UnsafePointer<Float>) -> Tensor {
        let w = Tensor.zeros([g, h])
        if t > 1 {
            sgemm(transA: true, transB: false, m: g, n: h, k: (t - 1) * b, alpha: 1,
                  a: recurrentGradient + b * g, lda: g, b: hiddenStates, ldb: h, beta: 0, c: w.base, ldc: h)
        }
        return w
    }
}
