import HoneCompute
import HoneNN
import HoneTensor

/// One step of an int8 model.
public enum QuantizedOperation {
    case dense(QuantizedDense)
    case conv2d(QuantizedConv2D)
    /// Max pooling without padding (on uint8 values: max commutes with quantization).
    case maxPool(kernel: Size2D, stride: Size2D)
    /// Flatten to `[N, C·H·W]` in PyTorch's order.
    case flatten

    /// The static input parameters of a dense or convolution step (nil for the others, or dynamic).
    var inputParameters: QuantizationParameters? {
        switch self {
        case .dense(let d): return d.input
        case .conv2d(let c): return c.input
        default: return nil
        }
    }

    var isLinear: Bool {
        switch self { case .dense, .conv2d: return true; default: return false }
    }
}

/// A statically quantized model: the input is quantized once to uint8, every dense and
/// convolution step runs the int8 GEMM and writes uint8 activations requantized to the next
/// step's calibrated input parameters (ReLU fused), max pooling and flattening run on uint8
/// values, and the last step writes float logits. Built by `PostTrainingQuantization.quantize`
/// or `QuantizationAwareTraining.convert`; saved by `QuantizedModelFile`.
///
/// ```swift
/// let q = try PostTrainingQuantization.quantize(model, calibration: train.subset(Array(0..<1024)))
/// let logits = q(batch)   // [N, 10]
/// ```
public final class QuantizedSequential: Layer {
    public let operations: [QuantizedOperation]
    public var isTraining = false

    public init(_ operations: [QuantizedOperation]) {
        precondition(operations.contains(where: \.isLinear), "QuantizedSequential: needs at least one dense or conv2d step")
        precondition(operations.last!.isLinear, "QuantizedSequential: the last step must be dense or conv2d")
        for op in operations where op.isLinear {
            precondition(op.inputParameters != nil, "QuantizedSequential: every dense/conv2d step needs static input parameters")
        }
        self.operations = operations
    }

    /// Float in (`[N, …]`; images `[N, C, H, W]` for a model starting with a convolution), float out.
    ///
    /// The batch is cut into slices run through the whole int8 pipeline one after another (one
    /// synchronization per call instead of one per layer): images in slices of 16, so that a
    /// slice's uint8 activations stay in the core's L2 cache between layers; rows in one slice
    /// per thread when there are at least 16 rows per thread. Threads take contiguous slices.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let threads = Compute.threadCount, n = x.rank > 1 ? x.shape[0] : 1
        let slices = x.rank == 4 ? (n + 15) / 16 : (threads > 1 && n >= 16 * threads ? threads : 1)
        guard slices > 1 else { return run(x) }
        let per = x.count / n
        var parts = [Tensor?](repeating: nil, count: slices)
        x.withUnsafeBufferPointer { input in
            parts.withUnsafeMutableBufferPointer { slots in
                let out = slots.baseAddress!
                Compute.parallelFor(slices, minChunk: 1) { range in
                    for t in range {
                        let lo = t * n / slices, hi = (t + 1) * n / slices
                        let slice = Tensor(shape: [hi - lo] + x.shape.dropFirst(),
                                           scalars: Array(input[lo * per..<hi * per]))
                        out[t] = run(slice)
                    }
                }
            }
        }
        let outs = parts.map { $0! }
        return Tensor(shape: [n] + outs[0].shape.dropFirst(), scalars: outs.flatMap(\.scalars))
    }

    func run(_ x: Tensor) -> Tensor {
        let first = operations.first(where: \.isLinear)!.inputParameters!
        var a = QuantizedActivation(x, parameters: first)
        for (i, op) in operations.enumerated() {
            let next = operations[(i + 1)...].first(where: \.isLinear)?.inputParameters
            switch op {
            case .dense(let d):
                if let next { a = d.quantizedOutput(a, next) } else { return d.floatOutput(a) }
            case .conv2d(let c):
                if let next { a = c.quantizedOutput(a, next) } else { return c.floatOutput(a) }
            case .maxPool(let k, let s):
                a = a.maxPooled(kernel: k, stride: s)
            case .flatten:
                a = a.flattened()
            }
        }
        fatalError("QuantizedSequential: unreachable (the last step is dense or conv2d)")
    }

    /// Number of weights and biases.
    public var quantizedParameterCount: Int {
        operations.reduce(0) { n, op in
            switch op {
            case .dense(let d): return n + d.weights.values.count + (d.bias?.count ?? 0)
            case .conv2d(let c): return n + c.weights.values.count + (c.bias?.count ?? 0)
            default: return n
            }
        }
    }
}
