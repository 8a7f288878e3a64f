import HoneConfig
import HoneNN
import HoneTune

/// Turns the `model:` section of a config, with this trial's searched values, into a concrete
/// ``Architecture`` — inferring every layer's input size and rejecting impossible shapes with an
/// error that names the layer's config path and line.
///
/// ```swift
/// let arch = try ModelBuilder(config: config).architecture(inputShape: [1, 28, 28], classes: 10, source: trial)
/// let model = try arch.build(seed: 0)
/// ```
public struct ModelBuilder {
    public let config: HoneConfig

    public init(config: HoneConfig) { self.config = config }

    /// Per-example input shape: `[features]` or `[channels, height, width]`.
    public func architecture(inputShape: [Int], classes: Int, source: any ParameterSource) throws -> Architecture {
        var shape = inputShape
        var layers: [Architecture] = []
        if let entries = config.model.layers {
            for entry in entries {
                layers.append(try build(entry, shape: &shape, source: source))
            }
            guard shape == [classes] else {
                let last = entries.last!
                throw ConfigError(file: config.file, line: last.line, column: nil, path: last.path,
                                  message: "the model ends with shape \(shape) per example, expected [\(classes)] (one output per class)")
            }
        } else {
            let family = try config.model.family.resolve("model.family", from: source)
            layers = family == "cnn" ? try cnn(&shape, classes: classes, source: source)
                                     : try mlp(&shape, classes: classes, source: source)
        }
        return .sequential(layers: layers.enumerated().map { .init(name: String($0.offset), layer: $0.element) })
    }

    func activation(_ name: String) -> Architecture {
        switch name {
        case "leaky_relu": return .leakyRelu(negativeSlope: 0.01)
        case "elu": return .elu(alpha: 1)
        case "gelu": return .gelu
        case "sigmoid": return .sigmoid
        case "tanh": return .tanh
        default: return .relu
        }
    }

    func mlp(_ shape: inout [Int], classes: Int, source: any ParameterSource) throws -> [Architecture] {
        let m = config.model.mlp
        let depth = try m.depth.resolve("model.mlp.depth", from: source)
        let width = try m.width.resolve("model.mlp.width", from: source)
        let dropout = try m.dropout.resolve("model.mlp.dropout", from: source)
        let bn = try m.batchNorm.resolve("model.mlp.batch_norm", from: source)
        let act = try m.activation.resolve("model.mlp.activation", from: source)
        var out: [Architecture] = [.flatten(startAxis: 1)]
        var features = shape.reduce(1, *)
        for _ in 0..<depth {
            out.append(.dense(inputSize: features, outputSize: width, bias: !bn))
            if bn { out.append(.batchNorm1d(features: width, momentum: 0.1, epsilon: 1e-5, affine: true)) }
            out.append(activation(act))
            if dropout > 0 { out.append(.dropout(rate: Float(dropout), seed: UInt64(config.training.seed))) }
            features = width
        }
        out.append(.dense(inputSize: features, outputSize: classes, bias: true))
        shape = [classes]
        return out
    }

    func cnn(_ shape: inout [Int], classes: Int, source: any ParameterSource) throws -> [Architecture] {
        let c = config.model.cnn
        guard shape.count == 3 else {
            throw ConfigError(file: config.file, line: nil, column: nil, path: "model.family",
                              message: "cnn needs image inputs [channels, height, width], the data gives \(shape)")
        }
        let blocks = try c.blocks.resolve("model.cnn.blocks", from: source)
        let channels = try c.channels.resolve("model.cnn.channels", from: source)
        let dense = try c.dense.resolve("model.cnn.dense", from: source)
        let dropout = try c.dropout.resolve("model.cnn.dropout", from: source)
        let bn = try c.batchNorm.resolve("model.cnn.batch_norm", from: source)
        var out: [Architecture] = []
        var (ch, h, w) = (shape[0], shape[1], shape[2])
        for b in 0..<blocks {
            guard h >= 2 && w >= 2 else {
                throw ConfigError(file: config.file, line: nil, column: nil, path: "model.cnn.blocks",
                                  message: "\(blocks) blocks pool a \(shape[1])×\(shape[2]) image below 1×1")
            }
            let oc = channels << b
            out.append(.conv2d(inputChannels: ch, outputChannels: oc, kernelSize: [3, 3], stride: [1, 1], padding: "same",
                               paddingSize: [1, 1], dilation: [1, 1], groups: 1, bias: !bn))
            if bn { out.append(.batchNorm2d(features: oc, momentum: 0.1, epsilon: 1e-5, affine: true)) }
            out.append(.relu)
            out.append(.maxPool2d(kernelSize: [2, 2], stride: [2, 2], padding: [0, 0]))
            (ch, h, w) = (oc, h / 2, w / 2)
        }
        out.append(.flatten(startAxis: 1))
        out.append(.dense(inputSize: ch * h * w, outputSize: dense, bias: true))
        out.append(.relu)
        if dropout > 0 { out.append(.dropout(rate: Float(dropout), seed: UInt64(config.training.seed))) }
        out.append(.dense(inputSize: dense, outputSize: classes, bias: true))
        shape = [classes]
        return out
    }

    /// One explicit layer: its architecture, updating `shape` to its output shape.
    func build(_ e: LayerEntry, shape: inout [Int], source: any ParameterSource) throws -> Architecture {
        func fail(_ message: String) -> ConfigError {
            ConfigError(file: config.file, line: e.line, column: nil, path: e.path, message: message)
        }
        func int(_ name: String, _ fallback: Int) throws -> Int {
            guard case let .int(t)? = e.arguments[name] else { return fallback }
            return try t.resolve("\(e.path).\(name)", from: source)
        }
        func double(_ name: String, _ fallback: Double) throws -> Double {
            guard case let .double(t)? = e.arguments[name] else { return fallback }
            return try t.resolve("\(e.path).\(name)", from: source)
        }
        func string(_ name: String, _ fallback: String) throws -> String {
            guard case let .string(t)? = e.arguments[name] else { return fallback }
            return try t.resolve("\(e.path).\(name)", from: source)
        }
        func bool(_ name: String, _ fallback: Bool) throws -> Bool {
            guard case let .bool(t)? = e.arguments[name] else { return fallback }
            return try t.resolve("\(e.path).\(name)", from: source)
        }
        func needImage() throws -> (Int, Int, Int) {
            guard shape.count == 3 else { throw fail("\(e.kind) needs an image input [channels, height, width], got \(shape)") }
            return (shape[0], shape[1], shape[2])
        }
        switch e.kind {
        case "dense":
            guard shape.count == 1 else { throw fail("dense needs a flat input [features], got \(shape); add - flatten before it") }
            let units = try int("units", 1)
            defer { shape = [units] }
            return .dense(inputSize: shape[0], outputSize: units, bias: true)
        case "conv2d":
            let (c, h, w) = try needImage()
            let filters = try int("filters", 1), k = try int("kernel", 3), s = try int("stride", 1)
            let padding = try string("padding", "valid")
            if padding == "same" && s != 1 { throw fail("padding same needs stride 1, got stride \(s)") }
            let p = padding == "same" ? (k - 1) / 2 : 0
            if padding == "same" && k % 2 == 0 { throw fail("padding same needs an odd kernel, got \(k)") }
            let oh = (h + 2 * p - k) / s + 1, ow = (w + 2 * p - k) / s + 1
            guard h + 2 * p >= k, w + 2 * p >= k, oh >= 1, ow >= 1 else {
                throw fail("a \(k)×\(k) kernel does not fit the \(h)×\(w) input")
            }
            shape = [filters, oh, ow]
            return .conv2d(inputChannels: c, outputChannels: filters, kernelSize: [k, k], stride: [s, s], padding: padding,
                           paddingSize: [p, p], dilation: [1, 1], groups: 1, bias: true)
        case "maxpool", "avgpool":
            let (c, h, w) = try needImage()
            let k = try int("size", 2), s = try int("stride", k)
            guard h >= k, w >= k else { throw fail("a \(k)×\(k) pool does not fit the \(h)×\(w) input") }
            shape = [c, (h - k) / s + 1, (w - k) / s + 1]
            return e.kind == "maxpool" ? .maxPool2d(kernelSize: [k, k], stride: [s, s], padding: [0, 0])
                                       : .avgPool2d(kernelSize: [k, k], stride: [s, s], padding: [0, 0])
        case "global_avgpool":
            let (c, _, _) = try needImage()
            shape = [c]
            return .globalAvgPool
        case "flatten":
            shape = [shape.reduce(1, *)]
            return .flatten(startAxis: 1)
        case "dropout":
            return .dropout(rate: Float(try double("rate", 0.5)), seed: UInt64(config.training.seed))
        case "batchnorm":
            if shape.count == 3 { return .batchNorm2d(features: shape[0], momentum: 0.1, epsilon: 1e-5, affine: true) }
            guard shape.count == 1 else { throw fail("batchnorm needs [features] or [channels, height, width], got \(shape)") }
            return .batchNorm1d(features: shape[0], momentum: 0.1, epsilon: 1e-5, affine: true)
        case "layernorm":
            return .layerNorm(normalizedShape: [shape.last ?? 1], epsilon: 1e-5, elementwiseAffine: true)
        case "relu", "elu", "gelu", "sigmoid", "tanh":
            return activation(e.kind)
        case "leaky_relu":
            return .leakyRelu(negativeSlope: Float(try double("slope", 0.01)))
        case "lstm", "gru":
            // A one-channel image is read row by row: [1, H, W] → H steps of W features.
            let fromImage = shape.count == 3 && shape[0] == 1
            let seq = fromImage ? [shape[1], shape[2]] : shape
            guard seq.count == 2 else { throw fail("\(e.kind) needs a sequence [steps, features], got \(shape)") }
            let units = try int("units", 1), full = try bool("return_sequences", false)
            shape = full ? [seq[0], units] : [units]
            let layer: Architecture = e.kind == "lstm" ? .lstm(inputSize: seq[1], hiddenSize: units, returnSequences: full)
                                                       : .gru(inputSize: seq[1], hiddenSize: units, returnSequences: full)
            return fromImage ? .sequential(layers: [.init(name: "0", layer: .reshape(shape: seq)),
                                                    .init(name: "1", layer: layer)]) : layer
        default:
            throw fail("unknown layer kind \(e.kind)")
        }
    }
}
