import Foundation
import HoneRandom
import HoneTensor

/// A Codable description of a model built from Hone's layer set: enough to rebuild the reference
/// models, the ready-made architectures and tuned `Sequential` models. Weights are not part of
/// it (they go to safetensors); `build(seed:)` creates freshly initialized layers.
///
/// JSON form: one key per layer kind, e.g. `{"dense":{"inputSize":784,"outputSize":256,"bias":true}}`,
/// and `{"sequential":{"layers":[{"name":"0","layer":{…}}, …]}}`.
///
/// ```swift
/// let spec = try Architecture(describing: Models.mlp())
/// let json = try spec.jsonData()
/// let rebuilt = try Architecture.decode(json).build(seed: 0)
/// ```
public indirect enum Architecture: Codable, Equatable, Sendable {
    case dense(inputSize: Int, outputSize: Int, bias: Bool)
    case conv2d(inputChannels: Int, outputChannels: Int, kernelSize: [Int], stride: [Int], padding: String,
                paddingSize: [Int], dilation: [Int], groups: Int, bias: Bool)
    case maxPool2d(kernelSize: [Int], stride: [Int], padding: [Int])
    case avgPool2d(kernelSize: [Int], stride: [Int], padding: [Int])
    case globalAvgPool
    case flatten(startAxis: Int)
    case reshape(shape: [Int])
    case dropout(rate: Float, seed: UInt64)
    case batchNorm1d(features: Int, momentum: Float, epsilon: Float, affine: Bool)
    case batchNorm2d(features: Int, momentum: Float, epsilon: Float, affine: Bool)
    case layerNorm(normalizedShape: [Int], epsilon: Float, elementwiseAffine: Bool)
    case embedding(count: Int, dimension: Int)
    case lstm(inputSize: Int, hiddenSize: Int, returnSequences: Bool)
    case gru(inputSize: Int, hiddenSize: Int, returnSequences: Bool)
    case relu
    case leakyRelu(negativeSlope: Float)
    case elu(alpha: Float)
    case gelu
    case sigmoid
    case tanh
    case softmax(axis: Int)
    case sequential(layers: [Named])
    case residual(body: Architecture, shortcut: Architecture?)

    /// A named child of a `Sequential`.
    public struct Named: Codable, Equatable, Sendable {
        public var name: String
        public var layer: Architecture
        public init(name: String, layer: Architecture) { self.name = name; self.layer = layer }
    }

    /// Thrown for a layer type the architecture format does not know (a custom layer).
    public struct UnsupportedLayer: Error, CustomStringConvertible {
        public let type: String
        public var description: String { "Architecture: layer type \(type) cannot be described (not one of Hone's built-in layers)" }
    }

    /// Describes `layer` (recursively for `Sequential` and `Residual`).
    public init(describing layer: any Layer) throws {
        func pair(_ s: Size2D) -> [Int] { [s.h, s.w] }
        switch layer {
        case let l as Dense: self = .dense(inputSize: l.inputSize, outputSize: l.outputSize, bias: l.bias != nil)
        case let l as Conv2D:
            let (mode, size): (String, [Int])
            switch l.padding {
            case .valid: (mode, size) = ("valid", [0, 0])
            case .same: (mode, size) = ("same", pair(l.paddingAmount))
            case .explicit(let p): (mode, size) = ("explicit", pair(p))
            }
            self = .conv2d(inputChannels: l.inputChannels, outputChannels: l.outputChannels, kernelSize: pair(l.kernelSize),
                           stride: pair(l.stride), padding: mode, paddingSize: size, dilation: pair(l.dilation),
                           groups: l.groups, bias: l.bias != nil)
        case let l as MaxPool2D: self = .maxPool2d(kernelSize: pair(l.kernelSize), stride: pair(l.stride), padding: pair(l.padding))
        case let l as AvgPool2D: self = .avgPool2d(kernelSize: pair(l.kernelSize), stride: pair(l.stride), padding: pair(l.padding))
        case is GlobalAvgPool: self = .globalAvgPool
        case let l as Flatten: self = .flatten(startAxis: l.startAxis)
        case let l as Reshape: self = .reshape(shape: l.shape)
        case let l as Dropout: self = .dropout(rate: l.rate, seed: l.seed)
        case let l as BatchNorm1d: self = .batchNorm1d(features: l.features, momentum: l.momentum, epsilon: l.epsilon, affine: l.affine)
        case let l as BatchNorm2d: self = .batchNorm2d(features: l.features, momentum: l.momentum, epsilon: l.epsilon, affine: l.affine)
        case let l as LayerNorm:
            self = .layerNorm(normalizedShape: l.normalizedShape, epsilon: l.epsilon, elementwiseAffine: l.weight != nil)
        case let l as Embedding: self = .embedding(count: l.count, dimension: l.dimension)
        case let l as LSTM: self = .lstm(inputSize: l.inputSize, hiddenSize: l.hiddenSize, returnSequences: l.returnSequences)
        case let l as GRU: self = .gru(inputSize: l.inputSize, hiddenSize: l.hiddenSize, returnSequences: l.returnSequences)
        case is ReLU: self = .relu
        case let l as LeakyReLU: self = .leakyRelu(negativeSlope: l.negativeSlope)
        case let l as ELU: self = .elu(alpha: l.alpha)
        case is GELU: self = .gelu
        case is Sigmoid: self = .sigmoid
        case is Tanh: self = .tanh
        case let l as Softmax: self = .softmax(axis: l.axis)
        case let l as Sequential:
            self = .sequential(layers: try l.layers.map { Named(name: $0.name, layer: try Architecture(describing: $0.layer)) })
        case let l as Residual:
            self = .residual(body: try Architecture(describing: l.body), shortcut: try l.shortcut.map { try Architecture(describing: $0) })
        default: throw UnsupportedLayer(type: String(describing: type(of: layer)))
        }
    }

    /// Builds freshly initialized layers (weights from `generator`, in construction order).
    public func build(generator: inout SeededGenerator) throws -> any Layer {
        func size(_ a: [Int], _ field: String) throws -> Size2D {
            guard a.count == 2, a.allSatisfy({ $0 >= 0 }) else { throw Invalid(reason: "\(field) must be [h, w] ≥ 0, got \(a)") }
            return Size2D(a[0], a[1])
        }
        func positive(_ v: Int, _ field: String) throws {
            guard v > 0 else { throw Invalid(reason: "\(field) must be positive, got \(v)") }
        }
        switch self {
        case .dense(let i, let o, let b):
            try positive(i, "dense.inputSize"); try positive(o, "dense.outputSize")
            return Dense(inputSize: i, outputSize: o, bias: b, generator: &generator)
        case .conv2d(let i, let o, let k, let s, let p, let ps, let d, let g, let b):
            try positive(i, "conv2d.inputChannels"); try positive(o, "conv2d.outputChannels"); try positive(g, "conv2d.groups")
            guard i % g == 0 && o % g == 0 else { throw Invalid(reason: "conv2d channels \(i)→\(o) are not multiples of groups \(g)") }
            let ks = try size(k, "conv2d.kernelSize"), st = try size(s, "conv2d.stride"), dl = try size(d, "conv2d.dilation")
            guard ks.h > 0 && ks.w > 0 && st.h > 0 && st.w > 0 && dl.h > 0 && dl.w > 0 else {
                throw Invalid(reason: "conv2d kernelSize, stride and dilation must be positive")
            }
            let padding: Padding
            switch p {
            case "valid": padding = .valid
            case "same":
                guard st == 1, (dl.h * (ks.h - 1)) % 2 == 0, (dl.w * (ks.w - 1)) % 2 == 0 else {
                    throw Invalid(reason: "conv2d padding \"same\" needs stride 1 and an odd kernel")
                }
                padding = .same
            case "explicit": padding = .explicit(try size(ps, "conv2d.paddingSize"))
            default: throw Invalid(reason: "conv2d.padding must be \"valid\", \"same\" or \"explicit\", got \"\(p)\"")
            }
            return Conv2D(inputChannels: i, outputChannels: o, kernelSize: ks, stride: st, padding: padding, dilation: dl,
                          groups: g, bias: b, generator: &generator)
        case .maxPool2d(let k, let s, let p):
            return MaxPool2D(kernelSize: try size(k, "maxPool2d.kernelSize"), stride: try size(s, "maxPool2d.stride"),
                             padding: try size(p, "maxPool2d.padding"))
        case .avgPool2d(let k, let s, let p):
            return AvgPool2D(kernelSize: try size(k, "avgPool2d.kernelSize"), stride: try size(s, "avgPool2d.stride"),
                             padding: try size(p, "avgPool2d.padding"))
        case .globalAvgPool: return GlobalAvgPool()
        case .flatten(let a): return Flatten(startAxis: a)
        case .reshape(let s): return Reshape(s)
        case .dropout(let r, let seed):
            guard r >= 0 && r < 1 else { throw Invalid(reason: "dropout.rate must be in [0, 1), got \(r)") }
            return Dropout(rate: r, seed: seed)
        case .batchNorm1d(let f, let m, let e, let a):
            try positive(f, "batchNorm1d.features")
            guard m >= 0 && m <= 1 && e > 0 else { throw Invalid(reason: "batchNorm1d momentum must be in [0, 1] and epsilon > 0") }
            return BatchNorm1d(f, momentum: m, epsilon: e, affine: a)
        case .batchNorm2d(let f, let m, let e, let a):
            try positive(f, "batchNorm2d.features")
            guard m >= 0 && m <= 1 && e > 0 else { throw Invalid(reason: "batchNorm2d momentum must be in [0, 1] and epsilon > 0") }
            return BatchNorm2d(f, momentum: m, epsilon: e, affine: a)
        case .layerNorm(let s, let e, let a):
            guard !s.isEmpty && s.allSatisfy({ $0 > 0 }) && e > 0 else { throw Invalid(reason: "layerNorm shape must be positive and epsilon > 0") }
            return LayerNorm(s, epsilon: e, elementwiseAffine: a)
        case .embedding(let c, let d):
            try positive(c, "embedding.count"); try positive(d, "embedding.dimension")
            return Embedding(count: c, dimension: d, generator: &generator)
        case .lstm(let i, let h, let r):
            try positive(i, "lstm.inputSize"); try positive(h, "lstm.hiddenSize")
            return LSTM(inputSize: i, hiddenSize: h, returnSequences: r, generator: &generator)
        case .gru(let i, let h, let r):
            try positive(i, "gru.inputSize"); try positive(h, "gru.hiddenSize")
            return GRU(inputSize: i, hiddenSize: h, returnSequences: r, generator: &generator)
        case .relu: return ReLU()
        case .leakyRelu(let s): return LeakyReLU(negativeSlope: s)
        case .elu(let a): return ELU(alpha: a)
        case .gelu: return GELU()
        case .sigmoid: return Sigmoid()
        case .tanh: return Tanh()
        case .softmax(let a): return Softmax(axis: a)
        case .sequential(let layers):
            var seen = Set<String>()
            for l in layers where l.name.isEmpty || l.name.contains(".") || !seen.insert(l.name).inserted {
                throw Invalid(reason: "sequential layer name \"\(l.name)\" is empty, contains '.', or repeats")
            }
            var built: [(String, any Layer)] = []
            for l in layers { built.append((l.name, try l.layer.build(generator: &generator))) }
            return Sequential(named: built)
        case .residual(let body, let shortcut):
            let b = try body.build(generator: &generator)
            let s = try shortcut.map { try $0.build(generator: &generator) }
            return Residual(b, shortcut: s)
        }
    }

    /// Builds freshly initialized layers from a seed.
    public func build(seed: UInt64 = 0) throws -> any Layer {
        var g = SeededGenerator(seed: seed)
        return try build(generator: &g)
    }

    /// Thrown by `build` for values no layer accepts.
    public struct Invalid: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { "Architecture: \(reason)" }
    }

    /// Compact JSON with sorted keys.
    public func jsonData() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return try e.encode(self)
    }

    /// Decodes the JSON written by `jsonData()`.
    public static func decode(_ data: Data) throws -> Architecture {
        try JSONDecoder().decode(Architecture.self, from: data)
    }
}
