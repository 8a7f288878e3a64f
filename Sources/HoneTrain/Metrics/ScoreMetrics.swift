/// Metrics computed from scores (logits or probabilities) rather than hard predictions.
public enum ScoreMetrics {
    /// Index of the largest score in each row of a row-major `rows × classes` matrix
    /// (the first one on ties, like `argmax` in NumPy and PyTorch).
    public static func argmax(scores: [Float], classes: Int) -> [Int32] {
        precondition(classes > 0 && scores.count % classes == 0,
                     "argmax: \(scores.count) scores is not a multiple of \(classes) classes")
        return (0..<(scores.count / classes)).map { r in
            var best = 0, bestValue = scores[r * classes]
            for c in 1..<classes where scores[r * classes + c] > bestValue { best = c; bestValue = scores[r * classes + c] }
            return Int32(best)
        }
    }

    /// Fraction of rows whose true label is among the `k` highest scores (ties counted in the
    /// label's favour only when strictly fewer than `k` scores are larger, as in Keras).
    public static func topKAccuracy(scores: [Float], classes: Int, labels: [Int32], k: Int) -> Double {
        precondition(scores.count == labels.count * classes,
                     "topKAccuracy: \(scores.count) scores for \(labels.count) labels × \(classes) classes")
        guard !labels.isEmpty else { return 0 }
        var hits = 0
        for (r, label) in labels.enumerated() {
            let row = scores[(r * classes)..<((r + 1) * classes)]
            let target = row[row.startIndex + Int(label)]
            if row.filter({ $0 > target }).count < k { hits += 1 }
        }
        return Double(hits) / Double(labels.count)
    }
}

/// Regression metrics (scikit-learn definitions).
public enum RegressionMetrics {
    /// Mean squared error.
    public static func meanSquaredError(_ truth: [Double], _ predicted: [Double]) -> Double {
        check(truth, predicted, "meanSquaredError")
        return zip(truth, predicted).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(truth.count)
    }

    /// Mean absolute error.
    public static func meanAbsoluteError(_ truth: [Double], _ predicted: [Double]) -> Double {
        check(truth, predicted, "meanAbsoluteError")
        return zip(truth, predicted).reduce(0) { $0 + abs($1.0 - $1.1) } / Double(truth.count)
    }

    /// Coefficient of determination R² = 1 − SS_res / SS_tot (1 for a perfect fit; 0 when the
    /// truth is constant and matched exactly, as scikit-learn returns 1.0 only then).
    public static func r2(_ truth: [Double], _ predicted: [Double]) -> Double {
        check(truth, predicted, "r2")
        let mean = truth.reduce(0, +) / Double(truth.count)
        let ssTot = truth.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let ssRes = zip(truth, predicted).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        if ssTot == 0 { return ssRes == 0 ? 1 : 0 }
        return 1 - ssRes / ssTot
    }

    private static func check(_ a: [Double], _ b: [Double], _ op: String) {
        precondition(a.count == b.count && !a.isEmpty, "\(op): \(a.count) truths and \(b.count) predictions")
    }
}
