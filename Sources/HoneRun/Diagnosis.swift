import Foundation

/// A problem spotted in the training records, with the concrete fix to try next.
public struct Finding: Sendable, Equatable {
    public enum Kind: String, Sendable { case overfitting, divergence, explodingGradients, vanishingGradients, deadReLU, learningRateEdge }
    public var kind: Kind
    public var title: String
    public var detail: String
    public var fix: String
}

/// Rules that read per-epoch records (train/validation loss and accuracy, per-layer gradient
/// norms) and the final model's dead-unit counts. Thresholds are stated in each rule.
public enum Diagnosis {
    /// Overfitting: the train–validation accuracy gap exceeds 5 points at the end and grew by
    /// more than 2 points over the last three epochs, or validation loss rose for two epochs in a
    /// row while training loss fell.
    public static func overfitting(_ epochs: [MetricRecord]) -> Finding? {
        let e = epochs.sorted { $0.epoch < $1.epoch }
        guard e.count >= 3 else { return nil }
        let gaps = e.compactMap { r -> Double? in
            guard let a = r.values["accuracy"], let v = r.values["val_accuracy"] else { return nil }
            return a - v
        }
        let gapGrowing = gaps.count >= 3 && gaps.last! > 0.05 && gaps.last! - gaps[gaps.count - 3] > 0.02
        let vl = e.compactMap { $0.values["val_loss"] }, tl = e.compactMap { $0.values["loss"] }
        let lossDiverging = vl.count >= 3 && tl.count >= 3 && vl[vl.count - 1] > vl[vl.count - 2] &&
            vl[vl.count - 2] > vl[vl.count - 3] && tl[tl.count - 1] < tl[tl.count - 3]
        guard gapGrowing || lossDiverging else { return nil }
        let gap = gaps.last.map { String(format: "%.1f", $0 * 100) } ?? "?"
        return Finding(kind: .overfitting, title: "Overfitting",
                       detail: "The train/validation accuracy gap is \(gap) points and growing" + (lossDiverging ? "; validation loss rose two epochs in a row while training loss fell." : "."),
                       fix: "Add regularization: raise dropout (e.g. +0.1), weight decay (×3) or augmentation (crop 2, flip), or stop earlier (early_stopping: {patience: 2}).")
    }

    /// Divergence: a non-finite loss, or a final training loss above the first epoch's.
    public static func divergence(_ epochs: [MetricRecord], failedWithNonFinite: Bool = false) -> Finding? {
        let tl = epochs.sorted { $0.epoch < $1.epoch }.compactMap { $0.values["loss"] }
        let rising = tl.count >= 2 && tl.last! > tl.first! * 1.05
        guard failedWithNonFinite || rising else { return nil }
        return Finding(kind: .divergence, title: "Divergence",
                       detail: failedWithNonFinite ? "Training produced a NaN/Inf loss." :
                        String(format: "Training loss rose from %.4f to %.4f.", tl.first!, tl.last!),
                       fix: "Lower the learning rate 3–10×, add gradient clipping (clip by global norm 1.0), or use a warm-up schedule.")
    }

    /// Exploding gradients: a layer's gradient norm above 100, or growing more than 10× from the
    /// first to the last epoch.
    public static func explodingGradients(_ epochs: [MetricRecord]) -> Finding? {
        let e = epochs.sorted { $0.epoch < $1.epoch }
        guard let first = e.first?.gradientNorms, let last = e.last?.gradientNorms, !last.isEmpty else { return nil }
        let bad = last.filter { name, norm in norm > 100 || (first[name].map { $0 > 0 && norm / $0 > 10 } ?? false) }
        guard let worst = bad.max(by: { $0.value < $1.value }) else { return nil }
        return Finding(kind: .explodingGradients, title: "Exploding gradients",
                       detail: String(format: "Layer %@ ends with gradient norm %.3g.", worst.key, worst.value),
                       fix: "Clip gradients by global norm (1.0), lower the learning rate, or add BatchNorm.")
    }

    /// Vanishing gradients: the first layer's gradient norm is below 1/1000 of the last layer's.
    public static func vanishingGradients(_ epochs: [MetricRecord]) -> Finding? {
        guard let norms = epochs.max(by: { $0.epoch < $1.epoch })?.gradientNorms, norms.count >= 2 else { return nil }
        let ordered = norms.sorted { layerOrder($0.key) < layerOrder($1.key) }
        let first = ordered.first!, last = ordered.last!
        guard last.value > 0, first.value / last.value < 1e-3 else { return nil }
        return Finding(kind: .vanishingGradients, title: "Vanishing gradients",
                       detail: String(format: "The first layer's gradient norm (%.2g, %@) is under 1/1000 of the last layer's (%.2g).",
                                      first.value, first.key, last.value),
                       fix: "Use ReLU-family activations with He initialization, add BatchNorm, or residual connections.")
    }

    /// Dead ReLU units: more than 20% of a ReLU layer's units never activate on the test set.
    public static func deadReLU(_ fractions: [(layer: String, fraction: Double)]) -> Finding? {
        guard let worst = fractions.max(by: { $0.fraction < $1.fraction }), worst.fraction > 0.2 else { return nil }
        return Finding(kind: .deadReLU, title: "Dead ReLU units",
                       detail: String(format: "%.0f%% of the units after layer %@ never activate on the test set.", worst.fraction * 100, worst.layer),
                       fix: "Lower the learning rate, switch to LeakyReLU/ELU, or check the initialization (He for ReLU).")
    }

    /// Learning rate at the edge of stability: the best trial's rate is within the top fifth of
    /// the searched log-range while trials with higher rates failed, diverged or scored more than
    /// 10 points worse.
    public static func learningRateEdge(best: (lr: Double, value: Double), others: [(lr: Double, value: Double?)],
                                        range: ClosedRange<Double>) -> Finding? {
        guard range.lowerBound > 0 else { return nil }
        let u = (log(best.lr) - log(range.lowerBound)) / (log(range.upperBound) - log(range.lowerBound))
        let higher = others.filter { $0.lr > best.lr }
        guard u > 0.8, !higher.isEmpty, higher.allSatisfy({ ($0.value ?? -.infinity) < best.value - 0.10 }) else { return nil }
        return Finding(kind: .learningRateEdge, title: "Learning rate at the edge of stability",
                       detail: String(format: "The best learning rate (%.2g) sits near the top of the searched range, and every trial with a higher rate failed or scored over 10 points lower.", best.lr),
                       fix: String(format: "Use about half of it (%.2g) with a warm-up or cosine schedule for a safer margin.", best.lr / 2))
    }

    /// Sort key putting `"0.weight"` before `"3.weight"` and `"conv1"` before `"fc2"` by the
    /// first number in the name.
    static func layerOrder(_ name: String) -> Int {
        Int(name.split(whereSeparator: { !$0.isNumber }).first ?? "") ?? Int.max
    }
}
