import HoneKernels

/// Fused LSTM / GRU cell math for a block of batch rows, run after the step's GEMMs (C kernels in
/// `recurrent_impl.h`, vectorized exp/tanh from `vecmath_core.h`, one pass over the gates).
/// Row-major buffers; gate blocks side by side in a row (LSTM i|f|g|o = 4H wide, GRU r|z|n = 3H),
/// state rows H wide. A `nil` previous state means zeros (the first timestep). Runs on the
/// calling thread. Equations: PyTorch `nn.LSTM` / `nn.GRU` (FIELD-GUIDE §1.4).
///
/// ```swift
/// // one LSTM step for `rows` rows: gates = xg + h·W_hhᵀ, then the cell
/// RecurrentCell.lstmForward(rows: rows, hidden: h, inputGates: xg, inputStride: 4 * h,
///                           recurrentGates: gates, activations: gates, previousCell: cPrev,
///                           cell: cNow, output: hNow)
/// ```
public enum RecurrentCell {
    static func level(_ isa: InstructionSet) -> Int32 { Int32(min(isa, InstructionSet.detected).rawValue) }

    /// a = inputGates + recurrentGates; i, f, o = σ(a), g = tanh(a); c = f⊙c₋₁ + i⊙g;
    /// h = o⊙tanh(c). Writes i|f|g|o to `activations` (may be `recurrentGates`), c and h.
    /// `inputStride` 0 adds the same 4H-vector (e.g. the bias) to every row.
    public static func lstmForward(rows: Int, hidden h: Int, inputGates: UnsafePointer<Float>, inputStride: Int,
                                   recurrentGates: UnsafePointer<Float>?, activations: UnsafeMutablePointer<Float>,
                                   previousCell: UnsafePointer<Float>?, cell: UnsafeMutablePointer<Float>,
                                   output hOut: UnsafeMutablePointer<Float>, isa: InstructionSet = .active) {
        precondition(rows >= 0 && h >= 0 && (inputStride == 0 || inputStride >= 4 * h), "lstmForward: rows=\(rows) hidden=\(h) inputStride=\(inputStride)")
        hone_lstm_forward(level(isa), Int64(rows), Int64(h), inputGates, Int64(inputStride), recurrentGates,
                          activations, previousCell, cell, hOut)
    }

    /// Back-propagates one LSTM step: dh = `outputGradient` + `recurrentGradient`;
    /// dc ← dc + dh⊙o⊙(1 − tanh²c); writes the pre-activation gradients i|f|g|o to
    /// `gateGradient`; leaves dc⊙f (the gradient for c₋₁) in `cellGradient`.
    public static func lstmBackward(rows: Int, hidden h: Int, activations: UnsafePointer<Float>, cell: UnsafePointer<Float>,
                                    previousCell: UnsafePointer<Float>?, outputGradient: UnsafePointer<Float>,
                                    recurrentGradient: UnsafePointer<Float>?, cellGradient: UnsafeMutablePointer<Float>,
                                    gateGradient: UnsafeMutablePointer<Float>, isa: InstructionSet = .active) {
        precondition(rows >= 0 && h >= 0, "lstmBackward: rows=\(rows) hidden=\(h)")
        hone_lstm_backward(level(isa), Int64(rows), Int64(h), activations, cell, previousCell, outputGradient,
                           recurrentGradient, cellGradient, gateGradient)
    }

    /// u = `recurrentGates` (W_hh·h₋₁, `nil` = 0) + `recurrentBias`; r = σ(x_r + u_r),
    /// z = σ(x_z + u_z), n = tanh(x_n + r⊙u_n), h = (1 − z)⊙n + z⊙h₋₁. Writes r|z|n to
    /// `activations`, u_n to `recurrentN` and h.
    public static func gruForward(rows: Int, hidden h: Int, inputGates: UnsafePointer<Float>, inputStride: Int,
                                  recurrentGates: UnsafePointer<Float>?, recurrentBias: UnsafePointer<Float>,
                                  previousHidden: UnsafePointer<Float>?, activations: UnsafeMutablePointer<Float>,
                                  recurrentN: UnsafeMutablePointer<Float>, output hOut: UnsafeMutablePointer<Float>,
                                  isa: InstructionSet = .active) {
        precondition(rows >= 0 && h >= 0 && inputStride >= 3 * h, "gruForward: rows=\(rows) hidden=\(h) inputStride=\(inputStride)")
        hone_gru_forward(level(isa), Int64(rows), Int64(h), inputGates, Int64(inputStride), recurrentGates, recurrentBias,
                         previousHidden, activations, recurrentN, hOut)
    }

    /// Back-propagates one GRU step: d = `hiddenGradient` + `outputGradient`; writes the
    /// input-projection gradient r|z|n to `inputGradient`, the gradient of u to
    /// `recurrentGradient`, and leaves d⊙z in `hiddenGradient` (add du·W_hh for h₋₁).
    public static func gruBackward(rows: Int, hidden h: Int, activations: UnsafePointer<Float>,
                                   recurrentN: UnsafePointer<Float>, previousHidden: UnsafePointer<Float>?,
                                   outputGradient: UnsafePointer<Float>, hiddenGradient: UnsafeMutablePointer<Float>,
                                   inputGradient: UnsafeMutablePointer<Float>, recurrentGradient: UnsafeMutablePointer<Float>,
                                   isa: InstructionSet = .active) {
        precondition(rows >= 0 && h >= 0, "gruBackward: rows=\(rows) hidden=\(h)")
        hone_gru_backward(level(isa), Int64(rows), Int64(h), activations, recurrentN, previousHidden, outputGradient,
                          hiddenGradient, inputGradient, recurrentGradient)
    }
}
