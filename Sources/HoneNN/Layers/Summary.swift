import HoneTensor

/// A Keras-style model summary: one row per layer (for a `Sequential`, per child) with its
/// output shape and parameter count, then totals split into trainable and non-trainable.
///
/// ```swift
/// let s = Models.mlp(seed: 0).summary(inputShape: [784])
/// print(s)                  // the table
/// s.totalParameters         // 235146
/// ```
public struct ModelSummary: Sendable, CustomStringConvertible {
    public struct Row: Sendable {
        public let name: String
        public let type: String
        /// Output shape with the batch axis shown as −1 (Keras prints `None`).
        public let outputShape: [Int]
        public let parameters: Int
    }

    public let rows: [Row]
    public let totalParameters: Int
    public let trainableParameters: Int
    public var nonTrainableParameters: Int { totalParameters - trainableParameters }

    public var description: String {
        let header = ("Layer (type)", "Output Shape", "Param #")
        let cells = rows.map { r in
            ("\(r.name) (\(r.type))", "[" + r.outputShape.map { $0 < 0 ? "-1" : String($0) }.joined(separator: ", ") + "]",
             ModelSummary.grouped(r.parameters))
        }
        let w0 = max(header.0.count, cells.map(\.0.count).max() ?? 0) + 2
        let w1 = max(header.1.count, cells.map(\.1.count).max() ?? 0) + 2
        let w2 = max(header.2.count, cells.map(\.2.count).max() ?? 0)
        func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - s.count)) }
        let rule = String(repeating: "=", count: w0 + w1 + w2)
        var lines = [pad(header.0, w0) + pad(header.1, w1) + header.2, rule]
        for c in cells { lines.append(pad(c.0, w0) + pad(c.1, w1) + c.2) }
        lines.append(rule)
        lines.append("Total params: \(ModelSummary.grouped(totalParameters))")
        lines.append("Trainable params: \(ModelSummary.grouped(trainableParameters))")
        lines.append("Non-trainable params: \(ModelSummary.grouped(nonTrainableParameters))")
        return lines.joined(separator: "\n")
    }

    static func grouped(_ n: Int) -> String {
        let s = String(n)
        var out = ""
        for (i, ch) in s.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return String(out.reversed())
    }
}

extension Layer {
    /// Runs one zero sample of `inputShape` (without the batch axis) through the model in
    /// evaluation mode and without autodiff, recording each layer's output shape; the modes of
    /// all sub-modules are restored afterwards, and running statistics are not touched.
    ///
    /// ```swift
    /// print(Models.cnn(seed: 0).summary(inputShape: [1, 28, 28]))
    /// ```
    public func summary(inputShape: [Int]) -> ModelSummary {
        var modes: [(any Module, Bool)] = []
        func collect(_ m: any Module) { modes.append((m, m.isTraining)); for (_, c) in m.children { collect(c) } }
        collect(self)
        setTraining(false)
        defer { for (m, t) in modes { m.isTraining = t } }
        let parts: [(String, any Layer)]
        if let seq = self as? Sequential { parts = seq.layers.map { ($0.name, $0.layer) } } else { parts = [("0", self)] }
        var rows: [ModelSummary.Row] = []
        withoutGradient {
            var x = Tensor.zeros([1] + inputShape)
            for (name, layer) in parts {
                x = layer(x)
                rows.append(.init(name: name, type: String(describing: type(of: layer)),
                                  outputShape: [-1] + x.shape.dropFirst(), parameters: layer.parameterCount))
            }
        }
        return ModelSummary(rows: rows, totalParameters: parameterCount,
                            trainableParameters: trainableParameters.reduce(0) { $0 + $1.1.count })
    }
}
