/// `model:` — either a family with searchable size knobs, or an explicit layer list in which any
/// value may be a search range.
///
/// ```yaml
/// model:
///   family: {choices: [mlp, cnn]}
///   mlp: {depth: {low: 1, high: 3}, width: {choices: [128, 256, 512]}, dropout: {low: 0.0, high: 0.5}}
///   cnn: {blocks: {low: 1, high: 2}, channels: {choices: [16, 32, 64]}, dense: 128, batch_norm: true}
/// ```
/// or
/// ```yaml
/// model:
///   layers:
///     - conv2d: {filters: 32, kernel: 3}
///     - relu
///     - maxpool: {size: 2}
///     - flatten
///     - dense: {units: {low: 64, high: 512, log: true}}
///     - relu
///     - dense: {units: 10}
/// ```
public struct ModelSection: Hashable, Sendable {
    public static let families = ["mlp", "cnn"]
    public var family: Tunable<String> = .fixed("mlp")
    public var mlp = MLPFamily()
    public var cnn = CNNFamily()
    /// Explicit layers; when present, `family` is ignored.
    public var layers: [LayerEntry]?

    public init() {}

    init(_ n: YAMLNode) throws {
        try n.checkKeys(["family", "mlp", "cnn", "layers"])
        if let l = try n.child("layers") {
            if try n.child("family") != nil { throw n.error("give either family or layers, not both") }
            let items = try l.elements()
            guard !items.isEmpty else { throw l.error("expected at least one layer") }
            layers = try items.map(LayerEntry.init)
            return
        }
        family = try n.tunable("family", default: family) { Self.families.contains($0) ? nil : "expected one of: \(Self.families.joined(separator: ", "))" }
        if let m = try n.child("mlp") { mlp = try MLPFamily(m) }
        if let c = try n.child("cnn") { cnn = try CNNFamily(c) }
    }
}

/// Multi-layer perceptron: `depth` hidden layers of `width` units.
public struct MLPFamily: Hashable, Sendable {
    public var depth: Tunable<Int> = .fixed(2)
    public var width: Tunable<Int> = .fixed(256)
    public var dropout: Tunable<Double> = .fixed(0)
    public var batchNorm: Tunable<Bool> = .fixed(false)
    public var activation: Tunable<String> = .fixed("relu")
    public init() {}

    init(_ n: YAMLNode) throws {
        try n.checkKeys(["depth", "width", "dropout", "batch_norm", "activation"])
        depth = try n.tunable("depth", default: depth) { (1...8).contains($0) ? nil : "expected a depth in 1...8" }
        width = try n.tunable("width", default: width) { (1...8192).contains($0) ? nil : "expected a width in 1...8192" }
        dropout = try n.tunable("dropout", default: dropout) { $0 >= 0 && $0 < 1 ? nil : "expected a dropout rate in [0, 1)" }
        batchNorm = try n.tunable("batch_norm", default: batchNorm)
        activation = try n.tunable("activation", default: activation) { LayerEntry.activations.contains($0) ? nil : "expected one of: \(LayerEntry.activations.joined(separator: ", "))" }
    }
}

/// Convolutional network: `blocks` × (conv 3×3 → [BN] → ReLU → maxpool 2), channels doubling
/// per block from `channels`, then a dense layer of `dense` units.
public struct CNNFamily: Hashable, Sendable {
    public var blocks: Tunable<Int> = .fixed(2)
    public var channels: Tunable<Int> = .fixed(32)
    public var dense: Tunable<Int> = .fixed(128)
    public var dropout: Tunable<Double> = .fixed(0)
    public var batchNorm: Tunable<Bool> = .fixed(false)
    public init() {}

    init(_ n: YAMLNode) throws {
        try n.checkKeys(["blocks", "channels", "dense", "dropout", "batch_norm"])
        blocks = try n.tunable("blocks", default: blocks) { (1...3).contains($0) ? nil : "expected 1...3 blocks (28×28 inputs allow at most 3 poolings)" }
        channels = try n.tunable("channels", default: channels) { (1...512).contains($0) ? nil : "expected 1...512 channels" }
        dense = try n.tunable("dense", default: dense) { (1...8192).contains($0) ? nil : "expected 1...8192 units" }
        dropout = try n.tunable("dropout", default: dropout) { $0 >= 0 && $0 < 1 ? nil : "expected a dropout rate in [0, 1)" }
        batchNorm = try n.tunable("batch_norm", default: batchNorm)
    }
}

/// One entry of an explicit layer list: a kind and its (possibly searched) arguments.
public struct LayerEntry: Hashable, Sendable {
    public static let activations = ["relu", "leaky_relu", "elu", "gelu", "sigmoid", "tanh"]
    /// Each kind's arguments: name → (type, required).
    static let kinds: [String: [String: (ArgType, Bool)]] = [
        "dense": ["units": (.int, true)],
        "conv2d": ["filters": (.int, true), "kernel": (.int, false), "stride": (.int, false), "padding": (.string, false)],
        "maxpool": ["size": (.int, false), "stride": (.int, false)],
        "avgpool": ["size": (.int, false), "stride": (.int, false)],
        "global_avgpool": [:], "flatten": [:],
        "dropout": ["rate": (.double, true)],
        "batchnorm": [:], "layernorm": [:],
        "relu": [:], "leaky_relu": ["slope": (.double, false)], "elu": [:], "gelu": [:], "sigmoid": [:], "tanh": [:],
        "lstm": ["units": (.int, true), "return_sequences": (.bool, false)],
        "gru": ["units": (.int, true), "return_sequences": (.bool, false)],
    ]

    enum ArgType { case int, double, string, bool }

    public enum Argument: Hashable, Sendable {
        case int(Tunable<Int>), double(Tunable<Double>), string(Tunable<String>), bool(Tunable<Bool>)
    }

    public var kind: String
    public var arguments: [String: Argument]
    /// Where the entry is, for error messages (`model.layers[3]`) and parameter names.
    public var path: String
    public var line: Int?

    init(_ n: YAMLNode) throws {
        path = n.path; line = n.line
        let allKinds = Self.kinds.keys.sorted()
        if !n.isMapping {
            kind = try n.oneOf(allKinds)
            arguments = [:]
        } else {
            let keys = try n.keys()
            guard keys.count == 1 else { throw n.error("expected one layer kind per entry, e.g. - dense: {units: 128}") }
            kind = keys[0]
            guard Self.kinds[kind] != nil else {
                let hint = Spelling.suggestion(for: kind, among: allKinds).map { "did you mean \"\($0)\"? " } ?? ""
                throw n.error("unknown layer kind \"\(kind)\"; \(hint)expected one of: \(allKinds.joined(separator: ", "))")
            }
            arguments = [:]
            let body = try n.child(kind)!
            if !body.isNull {
                try body.checkKeys(Array(Self.kinds[kind]!.keys).sorted())
                for (name, (type, _)) in Self.kinds[kind]! {
                    guard let v = try body.child(name) else { continue }
                    arguments[name] = try Self.readArgument(kind: kind, name: name, type: type, v)
                }
            }
        }
        for (name, (_, required)) in Self.kinds[kind]! where required && arguments[name] == nil {
            throw n.error("layer \(kind) needs \(name)")
        }
    }

    static func readArgument(kind: String, name: String, type: ArgType, _ v: YAMLNode) throws -> Argument {
        switch type {
        case .int:
            return .int(try Tunable<Int>.read(v) { $0 >= 1 ? nil : "expected a positive integer" })
        case .double:
            let check: (Double) -> String? = name == "rate" ? { $0 >= 0 && $0 < 1 ? nil : "expected a rate in [0, 1)" } : { _ in nil }
            return .double(try Tunable<Double>.read(v, check: check))
        case .string:
            return .string(try Tunable<String>.read(v) { ["same", "valid"].contains($0) ? nil : "expected same or valid" })
        case .bool:
            return .bool(try Tunable<Bool>.read(v))
        }
    }
}
