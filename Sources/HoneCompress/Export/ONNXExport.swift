import Foundation
import HoneNN
import HoneTensor

/// Exports Hone models to ONNX (opset 13, IR version 7) with a hand-written protobuf encoder:
/// float models layer by layer (Gemm/MatMul, Conv, pooling, activations, BatchNormalization,
/// Flatten, Reshape, Softmax), and int8 models (`QuantizedSequential`) in the QDQ form
/// (https://onnxruntime.ai/docs/performance/model-optimizations/quantization.html): the input and
/// every activation that enters a weighted layer pass through QuantizeLinear/DequantizeLinear
/// with Hone's uint8 scale and zero point, and int8 weights are DequantizeLinear'd per output
/// channel (axis 0) in front of Gemm/Conv — runtimes fuse these into integer kernels.
/// The graph's input is `input` (`[batch] + inputShape`), its output `output`.
///
/// ```swift
/// try ONNXExport.write(model, inputShape: [1, 28, 28], to: URL(fileURLWithPath: "cnn.onnx"))
/// try ONNXExport.write(quantized, inputShape: [1, 28, 28], to: URL(fileURLWithPath: "cnn-int8.onnx"))
/// ```
public enum ONNXExport {
    static let method = "ONNX export"

    /// The ONNX bytes of a float model.
    public static func encode(_ model: any Layer, inputShape: [Int]) throws(CompressionError) -> [UInt8] {
        if let q = model as? QuantizedSequential { return try encode(q, inputShape: inputShape) }
        try validate(inputShape)
        var b = Builder(graph: ONNXGraph(), value: "input", shape: inputShape)
        for (path, layer) in QuantizationPlan.leaves(model, path: "") { try b.float(layer, path: path) }
        b.finish()
        return b.graph.serialized(inputName: "input", inputShape: inputShape, outputName: "output", outputShape: b.shape,
                                  graphName: "hone")
    }

    /// The ONNX (QDQ) bytes of an int8 model.
    public static func encode(_ model: QuantizedSequential, inputShape: [Int]) throws(CompressionError) -> [UInt8] {
        try validate(inputShape)
        var b = Builder(graph: ONNXGraph(), value: "input", shape: inputShape)
        let linear = model.operations.indices.filter { model.operations[$0].isLinear }
        b.qdq(model.operations[linear[0]].inputParameters!)
        for (i, op) in model.operations.enumerated() {
            let next = model.operations[(i + 1)...].first(where: \.isLinear)?.inputParameters
            switch op {
            case .dense(let d):
                let w = b.dequantizedWeights(d.weights, dims: [d.outputSize, d.inputSize], prefix: "\(i)")
                try b.dense(weight: w, bias: d.bias, inputSize: d.inputSize, outputSize: d.outputSize, path: "\(i)")
                if d.fusedReLU { b.unary("Relu") }
                if let next { b.qdq(next) }
            case .conv2d(let c):
                let w = b.dequantizedWeights(c.weights, dims: [c.outputChannels, c.inputChannels, c.kernelSize.h, c.kernelSize.w],
                                             prefix: "\(i)")
                try b.conv(weight: w, bias: c.bias, outputChannels: c.outputChannels, kernel: c.kernelSize, stride: c.stride,
                           padding: c.padding, dilation: 1, groups: 1, path: "\(i)")
                if c.fusedReLU { b.unary("Relu") }
                if let next { b.qdq(next) }
            case .maxPool(let k, let s):
                try b.pool("MaxPool", kernel: k, stride: s, padding: 0, path: "\(i)")
            case .flatten:
                b.flatten()
            }
        }
        b.finish()
        return b.graph.serialized(inputName: "input", inputShape: inputShape, outputName: "output", outputShape: b.shape,
                                  graphName: "hone-int8-qdq")
    }

    /// Writes the ONNX file atomically (nothing is written when the model cannot be exported).
    public static func write(_ model: any Layer, inputShape: [Int], to url: URL) throws(CompressionError) {
        let bytes = try encode(model, inputShape: inputShape)
        do { try AtomicFile.write(bytes, to: url) } catch { throw .writeFailed(path: url.path, reason: "\(error)") }
    }

    static func validate(_ shape: [Int]) throws(CompressionError) {
        guard !shape.isEmpty, shape.allSatisfy({ $0 > 0 }) else {
            throw .invalidArgument(name: "inputShape", reason: "expected positive sizes of one example (without the batch), got \(shape)")
        }
    }

    /// Emits nodes while tracking the current value name and its per-example shape.
    struct Builder {
        var graph: ONNXGraph
        var value: String
        var shape: [Int]

        mutating func unary(_ op: String, _ attributes: [(String, ONNXGraph.Attribute)] = []) {
            value = graph.add(op, [value], attributes)
        }

        mutating func flatten() {
            value = graph.add("Flatten", [value], [("axis", .int(1))])
            shape = [shape.reduce(1, *)]
        }

        mutating func finish() { value = graph.add("Identity", [value], output: "output") }

        /// QuantizeLinear → DequantizeLinear with uint8 parameters.
        mutating func qdq(_ p: QuantizationParameters) {
            let s = graph.floats(graph.fresh("act_scale"), [p.scale], dims: [])
            let z = graph.uint8s(graph.fresh("act_zero_point"), [UInt8(p.zeroPoint)], dims: [])
            let q = graph.add("QuantizeLinear", [value, s, z])
            value = graph.add("DequantizeLinear", [q, s, z])
        }

        /// int8 initializer + per-channel DequantizeLinear; returns the float weight's name.
        mutating func dequantizedWeights(_ w: QuantizedWeights, dims: [Int], prefix: String) -> String {
            let q = graph.int8s("\(prefix).weight_int8", w.values, dims: dims)
            let s = graph.floats("\(prefix).weight_scale", w.scales, dims: [w.scales.count])
            let z = graph.int8s("\(prefix).weight_zero_point", [Int8](repeating: 0, count: w.scales.count), dims: [w.scales.count])
            return graph.add("DequantizeLinear", [q, s, z], [("axis", .int(0))])
        }

        mutating func dense(weight: String, bias: [Float]?, inputSize: Int, outputSize: Int, path: String) throws(CompressionError) {
            guard shape.last == inputSize else {
                throw .unsupportedLayer(method: ONNXExport.method, layer: "Dense",
                                        path: "\(path) (input shape \(shape) does not end in \(inputSize))")
            }
            if shape.count == 1 {
                var inputs = [value, weight]
                if let bias { inputs.append(graph.floats("\(path).bias", bias, dims: [outputSize])) }
                value = graph.add("Gemm", inputs, [("transB", .int(1))])
            } else {
                let wt = graph.add("Transpose", [weight], [("perm", .ints([1, 0]))])
                value = graph.add("MatMul", [value, wt])
                if let bias { value = graph.add("Add", [value, graph.floats("\(path).bias", bias, dims: [outputSize])]) }
            }
            shape[shape.count - 1] = outputSize
        }

        mutating func conv(weight: String, bias: [Float]?, outputChannels: Int, kernel: Size2D, stride: Size2D, padding: Size2D,
                           dilation: Size2D, groups: Int, path: String) throws(CompressionError) {
            guard shape.count == 3 else {
                throw .unsupportedLayer(method: ONNXExport.method, layer: "Conv2D", path: "\(path) (input shape \(shape) is not [C, H, W])")
            }
            var inputs = [value, weight]
            if let bias { inputs.append(graph.floats("\(path).bias", bias, dims: [outputChannels])) }
            value = graph.add("Conv", inputs, [
                ("kernel_shape", .ints([kernel.h, kernel.w])), ("strides", .ints([stride.h, stride.w])),
                ("pads", .ints([padding.h, padding.w, padding.h, padding.w])), ("dilations", .ints([dilation.h, dilation.w])),
                ("group", .int(groups)),
            ])
            let oh = (shape[1] + 2 * padding.h - dilation.h * (kernel.h - 1) - 1) / stride.h + 1
            let ow = (shape[2] + 2 * padding.w - dilation.w * (kernel.w - 1) - 1) / stride.w + 1
            shape = [outputChannels, oh, ow]
        }

        mutating func pool(_ op: String, kernel: Size2D, stride: Size2D, padding: Size2D, path: String) throws(CompressionError) {
            guard shape.count == 3 else {
                throw .unsupportedLayer(method: ONNXExport.method, layer: op, path: "\(path) (input shape \(shape) is not [C, H, W])")
            }
            value = graph.add(op, [value], [
                ("kernel_shape", .ints([kernel.h, kernel.w])), ("strides", .ints([stride.h, stride.w])),
                ("pads", .ints([padding.h, padding.w, padding.h, padding.w])),
            ])
            shape = [shape[0], (shape[1] + 2 * padding.h - kernel.h) / stride.h + 1, (shape[2] + 2 * padding.w - kernel.w) / stride.w + 1]
        }

        mutating func float(_ layer: any Layer, path: String) throws(CompressionError) {
            func unsupported(_ why: String = "") -> CompressionError {
                .unsupportedLayer(method: ONNXExport.method + why, layer: String(describing: type(of: layer)), path: path)
            }
            switch layer {
            case let d as Dense:
                let w = graph.floats("\(path).weight", d.weight.value.scalars, dims: [d.outputSize, d.inputSize])
                try dense(weight: w, bias: d.bias?.value.scalars, inputSize: d.inputSize, outputSize: d.outputSize, path: path)
            case let c as Conv2D:
                let w = graph.floats("\(path).weight", c.weight.value.scalars, dims: c.weight.shape)
                guard shape.first == c.inputChannels else { throw unsupported(" (input shape \(shape), expected \(c.inputChannels) channels)") }
                try conv(weight: w, bias: c.bias?.value.scalars, outputChannels: c.outputChannels, kernel: c.kernelSize,
                         stride: c.stride, padding: c.paddingAmount, dilation: c.dilation, groups: c.groups, path: path)
            case let p as MaxPool2D:
                try pool("MaxPool", kernel: p.kernelSize, stride: p.stride, padding: p.padding, path: path)
            case let p as AvgPool2D:
                guard p.padding == 0 else { throw unsupported(" (average pooling with padding)") }
                try pool("AveragePool", kernel: p.kernelSize, stride: p.stride, padding: 0, path: path)
            case is GlobalAvgPool:
                guard shape.count == 3 else { throw unsupported(" (input shape \(shape) is not [C, H, W])") }
                unary("GlobalAveragePool")
                value = graph.add("Flatten", [value], [("axis", .int(1))])
                shape = [shape[0]]
            case let f as Flatten:
                guard f.startAxis == 1 else { throw unsupported(" (Flatten must start at axis 1)") }
                flatten()
            case let r as Reshape:
                guard r.shape.reduce(1, *) == shape.reduce(1, *), r.shape.allSatisfy({ $0 > 0 }) else {
                    throw unsupported(" (reshape \(shape) to \(r.shape))")
                }
                let target = graph.int64s("\(path).shape", [0] + r.shape.map(Int64.init), dims: [r.shape.count + 1])
                value = graph.add("Reshape", [value, target])
                shape = r.shape
            case let bn as BatchNorm2d:
                batchNorm(features: bn.features, mean: bn.runningMean, variance: bn.runningVariance, epsilon: bn.epsilon,
                          parameters: bn.parameters, path: path)
            case let bn as BatchNorm1d:
                guard shape.count == 1 else { throw unsupported(" (BatchNorm1d on \(shape))") }
                batchNorm(features: bn.features, mean: bn.runningMean, variance: bn.runningVariance, epsilon: bn.epsilon,
                          parameters: bn.parameters, path: path)
            case is ReLU: unary("Relu")
            case is Tanh: unary("Tanh")
            case is Sigmoid: unary("Sigmoid")
            case let l as LeakyReLU: unary("LeakyRelu", [("alpha", .float(l.negativeSlope))])
            case let e as ELU: unary("Elu", [("alpha", .float(e.alpha))])
            case let s as Softmax: unary("Softmax", [("axis", .int(s.axis))])
            case is Dropout: return
            default: throw unsupported()
            }
        }

        mutating func batchNorm(features: Int, mean: Tensor, variance: Tensor, epsilon: Float,
                                parameters: [(String, Parameter)], path: String) {
            let gamma = parameters.first { $0.0 == "weight" }?.1.value.scalars ?? [Float](repeating: 1, count: features)
            let beta = parameters.first { $0.0 == "bias" }?.1.value.scalars ?? [Float](repeating: 0, count: features)
            let inputs = [value, graph.floats("\(path).weight", gamma, dims: [features]), graph.floats("\(path).bias", beta, dims: [features]),
                          graph.floats("\(path).running_mean", mean.scalars, dims: [features]),
                          graph.floats("\(path).running_var", variance.scalars, dims: [features])]
            value = graph.add("BatchNormalization", inputs, [("epsilon", .float(epsilon))])
        }
    }
}
