import HoneCompute
import HoneKernels
import HoneNN
import HoneTensor

/// An inference-only fully connected layer whose weight is stored sparse (CSR): the pruned
/// counterpart of `Dense` (`y = x·Wᵀ + b`, W [out, in]). Work and memory scale with the number
/// of non-zeros instead of out·in, so a 90%-sparse layer runs several times faster than the
/// dense GEMM (measured crossover: see docs/compression.md). `Pruning.sparsify` swaps Dense
/// layers for this type automatically when that is faster.
///
/// Inputs `[N, in]` (or `[in]`); the batch is transposed to `[in, N]` so every non-zero
/// multiplies a contiguous row of N activations (`hone_spmm_csr`, AVX-512/AVX2/generic); N = 1
/// is a gather-based matrix–vector product. No gradient flows through it: fine-tune the dense
/// model with `MaskedFineTuning`, then convert.
///
/// ```swift
/// let dense = Dense(inputSize: 784, outputSize: 256, seed: 1)
/// try Pruning.magnitude(dense, sparsity: 0.9)
/// let sparse = SparseDense(dense)          // same outputs, ~10% of the multiply-adds
/// let y = sparse(Tensor.zeros([128, 784])) // [128, 256]
/// ```
public final class SparseDense: Layer {
    public let weight: CSRMatrix
    /// The bias [out] (empty when the layer has none).
    public let bias: [Float]
    /// When true, max(0, ·) is fused into the output (a following ReLU absorbed by `sparsify`).
    public let fusedReLU: Bool
    public var isTraining = false

    public var inputSize: Int { weight.columns }
    public var outputSize: Int { weight.rows }

    public init(weight: CSRMatrix, bias: [Float]?, fusedReLU: Bool = false) {
        precondition(bias == nil || bias!.count == weight.rows,
                     "SparseDense: bias of \(bias!.count) for \(weight.rows) outputs")
        self.weight = weight; self.bias = bias ?? []; self.fusedReLU = fusedReLU
    }

    /// The sparse form of a (pruned) `Dense` layer: its zero weights are dropped.
    public convenience init(_ dense: Dense, fusedReLU: Bool = false) {
        self.init(weight: CSRMatrix(dense: dense.weight.value.scalars, rows: dense.outputSize, columns: dense.inputSize),
                  bias: dense.bias?.value.scalars, fusedReLU: fusedReLU)
    }

    /// Number of stored scalars (non-zero weights and biases): what the layer really holds.
    public var storedParameterCount: Int { weight.nonZeroCount + bias.count }

    /// The equivalent dense layer (zeros restored).
    public func toDense() -> Dense {
        let d = Dense(inputSize: inputSize, outputSize: outputSize, bias: !bias.isEmpty)
        d.weight.value = Tensor(shape: [outputSize, inputSize], scalars: weight.toDense())
        if !bias.isEmpty { d.bias!.value = Tensor(bias) }
        return d
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.rank >= 1 && x.shape.last == inputSize,
                     "SparseDense: input \(x.shape) does not match [..., \(inputSize)]")
        precondition(!x.requiresGrad, "SparseDense: inference only (no gradient); fine-tune the dense model with MaskedFineTuning, then convert")
        let n = x.count / inputSize
        let outShape = Array(x.shape.dropLast()) + [outputSize]
        var y = Tensor.zeros(outShape)
        let b: [Float]? = bias.isEmpty ? nil : bias
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                withOptionalPointer(b) { bp in
                    if n == 1 {
                        weight.multiply(xp.baseAddress!, ldx: 1, n: 1, bias: bp, relu: fusedReLU, into: yp.baseAddress!, ldy: 1)
                        return
                    }
                    // Thread-local scratch (slots 5 and 7, unused by the GEMM and convolution code) for the
                    // transposed input and output; every element is written before it is read.
                    let xt = hone_scratch(5, Int64(inputSize * n * MemoryLayout<Float>.stride))!
                    let yt = hone_scratch(7, Int64(outputSize * n * MemoryLayout<Float>.stride))!
                    SparseDense.transpose(xp.baseAddress!, rows: n, cols: inputSize, into: xt)
                    weight.multiply(UnsafePointer(xt), ldx: n, n: n, bias: bp, relu: fusedReLU, into: yt, ldy: n)
                    SparseDense.transpose(UnsafePointer(yt), rows: outputSize, cols: n, into: yp.baseAddress!)
                }
            }
        }
        return y
    }

    /// dst[j, i] = src[i, j] (src rows × cols), split over threads by column blocks.
    static func transpose(_ src: UnsafePointer<Float>, rows: Int, cols: Int, into dst: UnsafeMutablePointer<Float>) {
        let blocks = (cols + 15) / 16
        let isa = Int32(InstructionSet.active.rawValue)
        Compute.parallelFor(blocks, minChunk: max(1, 16_384 / max(1, rows * 16))) { range in
            let c0 = range.lowerBound * 16, c1 = min(cols, range.upperBound * 16)
            hone_transpose_f32(isa, src + c0, Int64(rows), Int64(c1 - c0), Int64(cols), dst + c0 * rows, Int64(rows))
        }
    }
}

private func withOptionalPointer<R>(_ a: [Float]?, _ body: (UnsafePointer<Float>?) -> R) -> R {
    guard let a else { return body(nil) }
    return a.withUnsafeBufferPointer { body($0.baseAddress) }
}
