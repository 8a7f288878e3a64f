/// `compress:` — the stages `hone compress` runs, in the order listed, and how each compressed
/// model is fine-tuned.
///
/// ```yaml
/// compress:
///   seed: 0
///   fine_tune: {epochs: 2, batch_size: 128, learning_rate: 5.0e-4}
///   stages:
///     - distill: {teacher: runs/wide/best.safetensors, temperature: 4, alpha: 0.9, epochs: 10}
///     - prune: {method: magnitude, sparsity: 0.9, scope: global, schedule: polynomial}
///     - prune: {method: structured, sparsity: 0.5, structure: filters, norm: l1}
///     - quantize: {calibration: percentile, percentile: 99.99, calibration_samples: 2048}
/// ```
public struct CompressSection: Hashable, Sendable {
    public struct FineTune: Hashable, Sendable {
        public var epochs = 1
        public var batchSize = 128
        public var learningRate = 1e-4
    }

    public struct Distill: Hashable, Sendable {
        /// Path of the teacher model file (required; checked when the stage is built).
        public var teacher: String?
        public var temperature = 4.0
        public var alpha = 0.9
        public var epochs = 5
        public var learningRate = 1e-3
        /// Start the student from fresh weights instead of the input model's.
        public var reinitialize = false
    }

    public struct Prune: Hashable, Sendable {
        public static let methods = ["magnitude", "structured", "nm"]
        /// magnitude | structured | nm
        public var method = "magnitude"
        /// Fraction of weights (magnitude) or of filters/units (structured) removed, in [0, 1).
        public var sparsity = 0.5
        /// layerwise | global (magnitude).
        public var scope = "layerwise"
        /// one_shot | polynomial (magnitude).
        public var schedule = "one_shot"
        /// filters | units | all (structured).
        public var structure = "filters"
        /// l1 | l2 (structured).
        public var norm = "l1"
        /// N:M pattern (nm).
        public var n = 2
        public var m = 4
        /// Only these layer paths (default: every Dense / Conv2D the method handles).
        public var layers: [String]?
        /// Switch sparse Dense layers to the CSR kernel after fine-tuning.
        public var sparseKernels = true
    }

    /// Post-training static int8 quantization (`QuantizeStage`).
    public struct Quantize: Hashable, Sendable {
        /// minmax | percentile | mse
        public var calibration = "percentile"
        /// The percentile of `calibration: percentile`.
        public var percentile = 99.99
        /// Training examples used for calibration.
        public var calibrationSamples = 2048
    }

    public enum Stage: Hashable, Sendable {
        case distill(Distill)
        case prune(Prune)
        case quantize(Quantize)
    }

    /// Stage kinds this build can run.
    public static let stageKinds = ["distill", "prune", "quantize"]

    public var stages: [Stage] = []
    public var fineTune = FineTune()
    public var seed = 0

    public init() {}

    static let keys = ["stages", "fine_tune", "seed"]

    init(_ n: YAMLNode) throws {
        try n.checkKeys(Self.keys)
        seed = try n.child("seed")?.int() ?? 0
        if let f = try n.child("fine_tune") {
            try f.checkKeys(["epochs", "batch_size", "learning_rate"])
            if let v = try f.child("epochs") {
                fineTune.epochs = try v.int()
                guard fineTune.epochs >= 0 else { throw v.error("expected ≥ 0 epochs, got \(fineTune.epochs)") }
            }
            if let v = try f.child("batch_size") {
                fineTune.batchSize = try v.int()
                guard fineTune.batchSize >= 1 else { throw v.error("expected a batch size ≥ 1, got \(fineTune.batchSize)") }
            }
            if let v = try f.child("learning_rate") { fineTune.learningRate = try Self.positive(v) }
        }
        guard let list = try n.child("stages") else { throw n.error("missing stages: give a list such as [{prune: {sparsity: 0.9}}]") }
        let elements = try list.elements()
        guard !elements.isEmpty else { throw list.error("expected at least one stage (distill, prune, quantize)") }
        for e in elements {
            let keys = try e.keys()
            guard keys.count == 1, let kind = keys.first else {
                throw e.error("each stage is a mapping with one key (distill, prune or quantize), found \(keys.count) keys")
            }
            let body = try e.child(kind)!
            guard Self.stageKinds.contains(kind) else {
                try e.checkKeys(Self.stageKinds)   // throws with a did-you-mean
                throw body.error("unknown stage")
            }
            let settings = body.isNull ? nil : body
            switch kind {
            case "distill": stages.append(.distill(try Self.distill(settings, at: body)))
            case "quantize": stages.append(.quantize(try Self.quantize(settings)))
            default: stages.append(.prune(try Self.prune(settings, at: body)))
            }
        }
    }

    static func positive(_ v: YAMLNode) throws -> Double {
        let d = try v.double()
        guard d > 0, d.isFinite else { throw v.error("expected a positive number, got \(d)") }
        return d
    }

    static func distill(_ n: YAMLNode?, at node: YAMLNode) throws -> Distill {
        var d = Distill()
        guard let n else { throw node.error("distill needs a teacher model: distill: {teacher: PATH}") }
        try n.checkKeys(["teacher", "temperature", "alpha", "epochs", "learning_rate", "reinitialize"])
        guard let t = try n.child("teacher"), !t.isNull else { throw n.error("distill needs a teacher model (teacher: PATH)") }
        d.teacher = try t.string()
        if let v = try n.child("temperature") { d.temperature = try positive(v) }
        if let v = try n.child("alpha") {
            d.alpha = try v.double()
            guard d.alpha >= 0 && d.alpha <= 1 else { throw v.error("expected a weight in [0, 1], got \(d.alpha)") }
        }
        if let v = try n.child("epochs") {
            d.epochs = try v.int()
            guard d.epochs >= 1 else { throw v.error("expected ≥ 1 epoch, got \(d.epochs)") }
        }
        if let v = try n.child("learning_rate") { d.learningRate = try positive(v) }
        if let v = try n.child("reinitialize") { d.reinitialize = try v.bool() }
        return d
    }

    static func quantize(_ n: YAMLNode?) throws -> Quantize {
        var q = Quantize()
        guard let n else { return q }
        try n.checkKeys(["calibration", "percentile", "calibration_samples"])
        if let v = try n.child("calibration") { q.calibration = try v.oneOf(["minmax", "percentile", "mse"]) }
        if let v = try n.child("percentile") {
            q.percentile = try v.double()
            guard q.percentile > 50 && q.percentile <= 100 else { throw v.error("expected a percentile in (50, 100], got \(q.percentile)") }
        }
        if let v = try n.child("calibration_samples") {
            q.calibrationSamples = try v.int()
            guard q.calibrationSamples >= 1 else { throw v.error("expected at least 1 calibration sample, got \(q.calibrationSamples)") }
        }
        return q
    }

    static func prune(_ n: YAMLNode?, at node: YAMLNode) throws -> Prune {
        var p = Prune()
        guard let n else { return p }
        try n.checkKeys(["method", "sparsity", "scope", "schedule", "structure", "norm", "n", "m", "layers", "sparse_kernels"])
        if let v = try n.child("method") { p.method = try v.oneOf(Prune.methods) }
        if let v = try n.child("sparsity") {
            p.sparsity = try v.double()
            guard p.sparsity >= 0 && p.sparsity < 1 else { throw v.error("expected a sparsity in [0, 1), got \(p.sparsity)") }
        }
        if let v = try n.child("scope") { p.scope = try v.oneOf(["layerwise", "global"]) }
        if let v = try n.child("schedule") { p.schedule = try v.oneOf(["one_shot", "polynomial"]) }
        if let v = try n.child("structure") { p.structure = try v.oneOf(["filters", "units", "all"]) }
        if let v = try n.child("norm") { p.norm = try v.oneOf(["l1", "l2"]) }
        if let v = try n.child("n") { p.n = try v.int() }
        if let v = try n.child("m") { p.m = try v.int() }
        if p.method == "nm" && !(p.m >= 2 && p.n >= 1 && p.n < p.m) {
            throw n.error("n:m pruning needs 0 < n < m (e.g. n: 2, m: 4), got \(p.n):\(p.m)")
        }
        if let v = try n.child("layers") { p.layers = try v.elements().map { try $0.string() } }
        if let v = try n.child("sparse_kernels") { p.sparseKernels = try v.bool() }
        return p
    }
}
