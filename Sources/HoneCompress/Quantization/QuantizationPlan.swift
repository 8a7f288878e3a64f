import HoneNN
import HoneTensor

/// A float model reduced to the steps an int8 model can run: dense and convolution layers
/// (BatchNorm folded in, a following ReLU fused), max pooling and flattening; dropout is
/// dropped (inference). Anything else is a `CompressionError.unsupportedLayer`.
struct QuantizationPlan {
    enum Kind {
        case dense(Dense)
        case conv2d(Conv2D)
        case maxPool(kernel: Size2D, stride: Size2D)
        case flatten
    }
    struct Step {
        var kind: Kind
        var relu: Bool
        var path: String
        var isLinear: Bool { if case .maxPool = kind { return false }; if case .flatten = kind { return false }; return true }
    }
    var steps: [Step]

    static let method = "int8 quantization"

    /// Layers of nested `Sequential`s in order, with dotted paths.
    static func leaves(_ layer: any Layer, path: String) -> [(String, any Layer)] {
        if let s = layer as? Sequential {
            return s.layers.flatMap { leaves($0.layer, path: path.isEmpty ? $0.name : "\(path).\($0.name)") }
        }
        return [(path.isEmpty ? "model" : path, layer)]
    }

    init(_ model: any Layer) throws(CompressionError) {
        var steps: [Step] = []
        for (path, layer) in Self.leaves(model, path: "") {
            func unsupported(_ why: String = "") -> CompressionError {
                .unsupportedLayer(method: Self.method + why, layer: String(describing: type(of: layer)), path: path)
            }
            switch layer {
            case let d as Dense:
                steps.append(Step(kind: .dense(d), relu: false, path: path))
            case let c as Conv2D:
                guard c.groups == 1, c.dilation == 1 else { throw unsupported(" (groups and dilation must be 1)") }
                steps.append(Step(kind: .conv2d(c), relu: false, path: path))
            case let bn as BatchNorm2d:
                guard let last = steps.last, case .conv2d(let c) = last.kind, !last.relu else {
                    throw unsupported(" (BatchNorm2d must follow a Conv2D to be folded)")
                }
                steps[steps.count - 1].kind = .conv2d(BatchNormFolding.fold(c, into: bn))
            case let bn as BatchNorm1d:
                guard let last = steps.last, case .dense(let d) = last.kind, !last.relu else {
                    throw unsupported(" (BatchNorm1d must follow a Dense to be folded)")
                }
                steps[steps.count - 1].kind = .dense(BatchNormFolding.fold(d, into: bn))
            case is ReLU:
                guard let last = steps.last, last.isLinear, !last.relu else {
                    throw unsupported(" (ReLU must follow a Dense or Conv2D, where it is fused)")
                }
                steps[steps.count - 1].relu = true
            case let p as MaxPool2D:
                guard p.padding == 0 else { throw unsupported(" (max pooling with padding)") }
                steps.append(Step(kind: .maxPool(kernel: p.kernelSize, stride: p.stride), relu: false, path: path))
            case let f as Flatten:
                guard f.startAxis == 1 else { throw unsupported(" (Flatten must start at axis 1)") }
                steps.append(Step(kind: .flatten, relu: false, path: path))
            case is Dropout:
                continue
            default:
                throw unsupported()
            }
        }
        guard let last = steps.last, last.isLinear else {
            throw .unsupportedLayer(method: Self.method, layer: "model", path: "the model must end in a Dense or Conv2D layer")
        }
        self.steps = steps
    }

    /// The same plan with its own copies of the dense and convolution layers (for training).
    func copied() -> QuantizationPlan {
        var p = self
        for i in p.steps.indices {
            switch p.steps[i].kind {
            case .dense(let d):
                let c = Dense(inputSize: d.inputSize, outputSize: d.outputSize, bias: d.bias != nil)
                c.weight.value = d.weight.value.detached()
                if let b = d.bias { c.bias!.value = b.value.detached() }
                p.steps[i].kind = .dense(c)
            case .conv2d(let v):
                let c = Conv2D(inputChannels: v.inputChannels, outputChannels: v.outputChannels, kernelSize: v.kernelSize,
                               stride: v.stride, padding: .explicit(v.paddingAmount), dilation: v.dilation, groups: v.groups,
                               bias: v.bias != nil)
                c.weight.value = v.weight.value.detached()
                if let b = v.bias { c.bias!.value = b.value.detached() }
                p.steps[i].kind = .conv2d(c)
            default: break
            }
        }
        return p
    }

    /// Indices of the dense and convolution steps.
    var linearIndices: [Int] { steps.indices.filter { steps[$0].isLinear } }

    /// Shape of one example for a dataset whose examples have `featureShape`: a single-channel
    /// image gets its channel axis when the first weighted step is a convolution.
    func exampleShape(for featureShape: [Int]) -> [Int] {
        if let first = linearIndices.first, case .conv2d(let c) = steps[first].kind, featureShape.count == 2, c.inputChannels == 1 {
            return [1] + featureShape
        }
        return featureShape
    }

    /// Runs the float steps on `x`, calling `observe(point, activation)` with point 0 for the input
    /// of the first weighted step and point i for the (ReLU'd) output of the i-th weighted step
    /// (i ≥ 1) when another weighted step follows.
    func run(_ x: Tensor, observe: (Int, Tensor) -> Void) -> Tensor {
        var h = x
        var linearSeen = 0
        let count = linearIndices.count
        observe(0, h)
        for step in steps {
            switch step.kind {
            case .dense(let d): h = d(h)
            case .conv2d(let c): h = c(h)
            case .maxPool(let k, let s): h = h.maxPool2d(kernel: k, stride: s)
            case .flatten: h = h.flattened(startAxis: 1)
            }
            if step.isLinear {
                if step.relu { h = h.relu() }
                linearSeen += 1
                if linearSeen < count { observe(linearSeen, h) }
            }
        }
        return h
    }

    /// The int8 model, given input parameters for each weighted step (in order).
    func quantized(inputs: [QuantizationParameters]) -> QuantizedSequential {
        precondition(inputs.count == linearIndices.count, "QuantizationPlan: \(inputs.count) parameter sets for \(linearIndices.count) weighted steps")
        var ops: [QuantizedOperation] = []
        var i = 0
        for step in steps {
            switch step.kind {
            case .dense(let d):
                ops.append(.dense(QuantizedDense(d, input: inputs[i], fusedReLU: step.relu))); i += 1
            case .conv2d(let c):
                ops.append(.conv2d(QuantizedConv2D(c, input: inputs[i], fusedReLU: step.relu))); i += 1
            case .maxPool(let k, let s): ops.append(.maxPool(kernel: k, stride: s))
            case .flatten: ops.append(.flatten)
            }
        }
        return QuantizedSequential(ops)
    }
}
