import HoneCompute
import HoneNN
import HoneTensor

/// Int8 fully connected layer for inference: per-output-channel symmetric int8 weights, uint8
/// activations (per tensor), int32 accumulation and a fused epilogue (dequantize, bias, ReLU,
/// or requantize for the next int8 layer). With `input == nil` the activations are quantized
/// per batch at run time from their min and max (dynamic quantization, as PyTorch's
/// `quantize_dynamic`); otherwise with the calibrated `input` parameters (static).
///
/// ```swift
/// let q = QuantizedDense(dense, input: nil)            // dynamic
/// let y = q(Tensor.zeros([32, dense.inputSize]))      // [32, outputSize] floats
/// ```
public final class QuantizedDense: QuantizedLayer, Layer {
    public let inputSize: Int
    public let outputSize: Int

    public init(inputSize: Int, outputSize: Int, weights: QuantizedWeights, bias: [Float]?,
                input: QuantizationParameters?, fusedReLU: Bool = false) {
        weights.check(layer: "QuantizedDense", outputChannels: outputSize, rowLength: inputSize, bias: bias)
        self.inputSize = inputSize; self.outputSize = outputSize
        super.init(weights: weights, packing: weights.values, bias: bias, input: input, fusedReLU: fusedReLU)
    }

    /// Quantizes a float `Dense` (dynamic when `input` is nil).
    public convenience init(_ dense: Dense, input: QuantizationParameters?, fusedReLU: Bool = false) {
        self.init(inputSize: dense.inputSize, outputSize: dense.outputSize,
                  weights: QuantizedWeights(weights: dense.weight.value.scalars, outputChannels: dense.outputSize),
                  bias: dense.bias?.value.scalars, input: input, fusedReLU: fusedReLU)
    }

    /// Float in, float out: quantizes `x` ([N, inputSize]), multiplies in int8, dequantizes.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        qcheck(x.shape.last == inputSize, "QuantizedDense: input \(x.shape) does not end in \(inputSize)")
        let lead = Array(x.shape.dropLast())
        let flat = x.reshaped([x.count / inputSize, inputSize])
        let q = input.map { QuantizedActivation(flat, parameters: $0) } ?? QuantizedActivation.dynamic(flat)
        return floatOutput(q).reshaped(lead + [outputSize])
    }

    func floatOutput(_ a: QuantizedActivation) -> Tensor {
        qcheck(!a.isImage && a.shape[1] == inputSize, "QuantizedDense: input \(a.shape), expected [N, \(inputSize)]")
        let (scale, offset) = epilogue(for: a.parameters)
        var y = Tensor.zeros([a.batch, outputSize])
        y.withUnsafeMutableBufferPointer { yp in
            QGEMM.multiply(m: a.batch, n: outputSize, k: inputSize, a: a.data, lda: a.rowStride, packed: packed,
                           scale: scale, offset: offset, bias: bias, relu: fusedReLU, output: .float(yp.baseAddress!),
                           ldc: outputSize)
        }
        return y
    }

    func quantizedOutput(_ a: QuantizedActivation, _ out: QuantizationParameters) -> QuantizedActivation {
        qcheck(!a.isImage && a.shape[1] == inputSize, "QuantizedDense: input \(a.shape), expected [N, \(inputSize)]")
        let (scale, offset) = epilogue(for: a.parameters)
        let ldc = QGEMM.paddedDepth(outputSize)
        let data = [UInt8](unsafeUninitializedCapacity: max(1, a.batch * ldc)) { buf, count in
            if ldc != outputSize { buf.initialize(repeating: 0) }
            QGEMM.multiply(m: a.batch, n: outputSize, k: inputSize, a: a.data, lda: a.rowStride, packed: packed,
                           scale: scale, offset: offset, bias: bias, relu: fusedReLU,
                           output: .uint8(buf.baseAddress!, scale: out.scale, zeroPoint: out.zeroPoint), ldc: ldc)
            count = a.batch * ldc
        }
        return QuantizedActivation(data: data, shape: [a.batch, outputSize], parameters: out)
    }
}
