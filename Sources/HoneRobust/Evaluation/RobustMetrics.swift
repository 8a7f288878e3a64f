import HoneNN
import HoneTensor

/// Batched, gradient-free accuracy helpers used by the evaluation.
public enum RobustMetrics {
    /// Per-sample correctness of `model` (evaluation mode, no tape) on `inputs` [N, …].
    public static func correct(_ model: any Layer, inputs: Tensor, labels: [Int32], batchSize: Int = 1000) -> [Bool] {
        let wasTraining = model.isTraining
        model.setTraining(false)
        defer { model.setTraining(wasTraining) }
        let n = inputs.shape[0]
        var out: [Bool] = []
        out.reserveCapacity(n)
        var start = 0
        while start < n {
            let end = min(start + batchSize, n)
            let logits = withoutGradient { model(rows(inputs, start, end)) }
            let p = Perturbation.predictions(logits.scalars, classes: logits.shape[1])
            for (i, y) in p.enumerated() { out.append(y == labels[start + i]) }
            start = end
        }
        return out
    }

    /// Fraction of `inputs` that `model` classifies as `labels`.
    public static func accuracy(_ model: any Layer, inputs: Tensor, labels: [Int32], batchSize: Int = 1000) -> Double {
        let c = correct(model, inputs: inputs, labels: labels, batchSize: batchSize)
        return c.isEmpty ? 0 : Double(c.filter { $0 }.count) / Double(c.count)
    }

    /// Rows start..<end of a batch tensor.
    static func rows(_ t: Tensor, _ start: Int, _ end: Int) -> Tensor {
        if start == 0 && end == t.shape[0] { return t }
        return t.indexSelect(axis: 0, indices: Array(start..<end))
    }
}

public extension Attack {
    /// Runs the attack over a large set in batches of `batchSize` (each batch independently, so
    /// results do not depend on what else is in the set) and returns all adversarial inputs.
    func perturbAll(_ model: any Layer, inputs: Tensor, labels: [Int32], targets: [Int32]? = nil,
                    batchSize: Int = 500) throws -> Tensor {
        guard batchSize >= 1 else {
            throw RobustnessError.invalidArgument(name: "batch_size", value: "\(batchSize)", expected: "batch_size ≥ 1")
        }
        let n = inputs.shape[0]
        if n <= batchSize { return try perturb(model, inputs: inputs, labels: labels, targets: targets) }
        var parts: [Tensor] = []
        var start = 0
        while start < n {
            let end = min(start + batchSize, n)
            parts.append(try perturb(model, inputs: RobustMetrics.rows(inputs, start, end), labels: Array(labels[start..<end]),
                                     targets: targets.map { Array($0[start..<end]) }))
            start = end
        }
        return Tensor.concat(parts, axis: 0)
    }
}
