import HoneNN
import HoneTrain

/// The pruning stage of a compression pipeline: one of the pruning methods, then fine-tuning
/// (`context.fineTune`) with the masks enforced, then (optionally) Dense → `SparseDense` where
/// the sparsity makes the sparse kernel faster.
///
/// ```swift
/// let stage = try PruneStage(method: .magnitude(sparsity: 0.9, scope: .global, schedule: .polynomial))
/// let pruned = try stage.apply(to: model, context: CompressionContext(train: train, fineTune: .init(epochs: 4)))
/// ```
public struct PruneStage: CompressionStage {
    /// When magnitude pruning reaches its sparsity.
    public enum Schedule: String, Sendable, CaseIterable {
        /// All at once before fine-tuning.
        case oneShot = "one_shot"
        /// Zhu & Gupta's cubic ramp over the fine-tuning steps (finished after (E − 1)/E of them,
        /// or half of them for one epoch), then fine-tuning at the final sparsity.
        case polynomial
    }

    public enum Method: Sendable, Equatable {
        case magnitude(sparsity: Double, scope: Pruning.Scope, schedule: Schedule)
        case structured(fraction: Double, structure: Pruning.Structure, norm: Pruning.Norm)
        case nm(n: Int, m: Int)
    }

    public let method: Method
    public let layers: [String]?
    /// Convert sparse Dense layers to `SparseDense` after fine-tuning.
    public let sparseKernels: Bool
    public var name: String { "prune" }

    /// Validates the settings (`CompressionError.invalidSparsity` / `.invalidArgument`).
    public init(method: Method, layers: [String]? = nil, sparseKernels: Bool = true) throws {
        switch method {
        case .magnitude(let s, _, _), .structured(let s, _, _):
            guard s >= 0, s < 1, s.isFinite else { throw CompressionError.invalidSparsity(s) }
        case .nm(let n, let m):
            guard m >= 2, n >= 1, n < m else { throw CompressionError.invalidArgument(name: "n:m", reason: "expected 0 < n < m, got \(n):\(m)") }
        }
        self.method = method; self.layers = layers; self.sparseKernels = sparseKernels
    }

    public func apply(to model: any Layer, context: CompressionContext) throws -> any Layer {
        try context.fineTune.validate()
        guard context.train.count > 0 else { throw CompressionError.emptyCalibrationData(stage: name) }
        let ft = context.fineTune
        var result: any Layer = model
        switch method {
        case let .magnitude(sparsity, scope, schedule):
            if schedule == .polynomial && ft.epochs > 0 {
                _ = try Pruning.magnitudeMasks(model, sparsity: sparsity, scope: scope, layers: layers)   // validates first
                let steps = ft.epochs * ((context.train.count + ft.batchSize - 1) / ft.batchSize)
                let end = max(1, ft.epochs > 1 ? steps * (ft.epochs - 1) / ft.epochs : steps / 2)
                let s = try PolynomialDecaySchedule(finalSparsity: sparsity, endStep: end, frequency: max(1, end / 20))
                try FineTuning.run(model, context: context, stage: name, epochs: ft.epochs, learningRate: ft.learningRate,
                                   callbacks: [GradualPruning(schedule: s, scope: scope, layers: layers)])
            } else {
                let masks = try Pruning.magnitude(model, sparsity: sparsity, scope: scope, layers: layers)
                try FineTuning.run(model, context: context, stage: name, epochs: ft.epochs, learningRate: ft.learningRate,
                                   callbacks: [MaskedFineTuning(masks)])
            }
        case let .nm(n, m):
            let masks = try Pruning.nm(model, n: n, m: m, layers: layers)
            try FineTuning.run(model, context: context, stage: name, epochs: ft.epochs, learningRate: ft.learningRate,
                               callbacks: [MaskedFineTuning(masks)])
        case let .structured(fraction, structure, norm):
            guard let seq = model as? Sequential else {
                throw CompressionError.unsupportedLayer(method: "structured pruning", layer: String(describing: type(of: model)), path: "")
            }
            let r = try Pruning.structured(seq, fraction: fraction, structure: structure, norm: norm, layers: layers)
            try FineTuning.run(r.model, context: context, stage: name, epochs: ft.epochs, learningRate: ft.learningRate)
            result = r.model
        }
        if sparseKernels, let seq = result as? Sequential { result = try Pruning.sparsify(seq) }
        result.setTraining(false)
        return result
    }
}
