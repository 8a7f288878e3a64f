import HoneNN

/// Namespace of the pruning methods: magnitude (unstructured, per layer or global), N:M,
/// structured (filters / units physically removed), and the schedules and callbacks that apply
/// them during training.
///
/// ```swift
/// let masks = try Pruning.magnitude(model, sparsity: 0.9)          // zeroes 90% of each layer
/// try fit(model, optimizer: opt, data: train, epochs: 1, batchSize: 128,
///         callbacks: [MaskedFineTuning(masks)])                      // pruned weights stay zero
/// ```
public enum Pruning {}

extension Pruning {
    /// A weight matrix pruning may act on: a `Dense` or `Conv2D` weight, by dotted name.
    public struct Target {
        /// Dotted parameter name, e.g. `"1.weight"`.
        public let name: String
        /// The layer that owns the weight (`"1"`; empty for a bare layer).
        public let layerPath: String
        public let parameter: Parameter
        /// Length of one output row (`inputSize` for Dense, in/groups·kH·kW for Conv2D).
        public let rowLength: Int
    }

    /// The prunable weights of `model` (every `Dense` and `Conv2D` weight, depth-first). With
    /// `layers`, only those layer paths; a path that is missing or is not a Dense/Conv2D throws
    /// `CompressionError.unsupportedLayer` (or `.invalidArgument` when it does not exist).
    ///
    /// ```swift
    /// Pruning.targets(in: Models.mlp()).map(\.name)   // ["1.weight", "3.weight", "5.weight"]
    /// ```
    public static func targets(in model: any Module, layers: [String]? = nil, method: String = "pruning") throws -> [Target] {
        var all: [String: any Module] = [:]
        var found: [Target] = []
        func walk(_ m: any Module, _ path: String) {
            all[path] = m
            let prefix = path.isEmpty ? "" : path + "."
            if let d = m as? Dense {
                found.append(Target(name: prefix + "weight", layerPath: path, parameter: d.weight, rowLength: d.inputSize))
            } else if let c = m as? Conv2D {
                found.append(Target(name: prefix + "weight", layerPath: path, parameter: c.weight,
                                    rowLength: c.weight.count / c.outputChannels))
            }
            for (name, child) in m.children { walk(child, prefix + name) }
        }
        walk(model, "")
        guard let layers else { return found }
        var chosen: [Target] = []
        for path in layers {
            guard let m = all[path] else {
                throw CompressionError.invalidArgument(name: "layers", reason: "the model has no layer \"\(path)\" (layers: \(all.keys.filter { !$0.isEmpty }.sorted().joined(separator: ", ")))")
            }
            guard let t = found.first(where: { $0.layerPath == path }) else {
                throw CompressionError.unsupportedLayer(method: method, layer: String(describing: type(of: m)), path: path)
            }
            chosen.append(t)
        }
        return chosen
    }
}
