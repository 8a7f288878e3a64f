import HoneCompute

/// The int8 state shared by ``QuantizedDense`` and ``QuantizedConv2D``: per-output-channel
/// symmetric int8 weights, packed once for the int8 GEMM; Σₖ q[o, k] per channel (the
/// zero-point correction, Jacob et al., arXiv:1712.05877, §2.3); bias, fused ReLU, and the
/// static input quantization (nil: dynamic, per batch) with its epilogue computed once. Not
/// used directly.
///
/// ```swift
/// let q: QuantizedLayer = QuantizedDense(dense, input: nil)
/// print(q.weights.outputChannels, q.input == nil)   // e.g. 128 true
/// ```
public class QuantizedLayer {
    /// Int8 weights with one scale per output channel, in the float layer's layout.
    public let weights: QuantizedWeights
    public let bias: [Float]?
    /// Static input quantization; nil for dynamic (per batch).
    public let input: QuantizationParameters?
    /// ReLU fused into the epilogue.
    public let fusedReLU: Bool
    public var isTraining = false

    let packed: [Int8]
    let rowSums: [Int32]
    /// For static input: scale and offset per output channel, ready for the epilogue.
    let staticEpilogue: ([Float], [Int32])?

    /// `rows` are the weights in the order the GEMM reads them (`outputChannels` rows of
    /// `weights.rowLength`); `weights` must already match the layer (see `QuantizedWeights.check`).
    init(weights: QuantizedWeights, packing rows: [Int8], bias: [Float]?, input: QuantizationParameters?, fusedReLU: Bool) {
        self.weights = weights; self.bias = bias; self.input = input; self.fusedReLU = fusedReLU
        packed = rows.withUnsafeBufferPointer {
            QGEMM.pack(weights: $0.baseAddress!, rows: weights.outputChannels, depth: weights.rowLength)
        }
        let sums = weights.rowSums
        rowSums = sums
        staticEpilogue = input.map { weights.epilogue(rowSums: sums, activations: $0) }
    }

    /// Epilogue scale and offset for activations quantized with `p`.
    func epilogue(for p: QuantizationParameters) -> ([Float], [Int32]) {
        if let input, input == p, let staticEpilogue { return staticEpilogue }
        return weights.epilogue(rowSums: rowSums, activations: p)
    }
}
