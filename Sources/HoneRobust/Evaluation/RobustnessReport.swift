import Foundation
import HoneReport

/// The robustness report (`robustness.html`): robust accuracy versus ε per attack and for the
/// per-sample worst case (an SVG line chart), a table with every setting behind each figure,
/// and the sanity-check warnings.
///
/// ```swift
/// try RobustnessReport.write(result, model: "cnn.safetensors", to: URL(fileURLWithPath: "robustness.html"))
/// ```
public enum RobustnessReport {
    public static func html(_ result: RobustnessResult, model: String) -> HTMLReport {
        var r = HTMLReport(title: "Robustness of \(model)")
        r.keyValues([("model", model), ("test samples", "\(result.samples)"),
                     ("clean accuracy", String(format: "%.2f%%", 100 * result.cleanAccuracy)),
                     ("sanity checks", result.warnings.isEmpty ? "all passed" : "\(result.warnings.count) warning(s)")])
        for w in result.warnings {
            r.finding("Sanity check \(w.check) failed", detail: w.message,
                      fix: "treat these robust accuracies as upper bounds; attack the full pipeline with more steps, restarts, APGD-CE and the Square attack",
                      severity: .problem)
        }
        var chart = LineChart(title: "Robust accuracy vs ε", xLabel: "ε", yLabel: "accuracy")
        for (name, list) in Dictionary(grouping: result.entries, by: \.attack).sorted(by: { $0.key < $1.key }) {
            let points = list.sorted { $0.eps < $1.eps }.map { ($0.eps, $0.robustAccuracy) }
            chart.add(.init(name: name, points: [(0, result.cleanAccuracy)] + points, style: .lineAndPoints))
        }
        chart.add(.init(name: "worst case", points: [(0, result.cleanAccuracy)] + result.worstCase.map { ($0.eps, $0.robustAccuracy) },
                        style: .lineAndPoints))
        r.heading("Robust accuracy per attack and ε")
        r.figure(chart.render(), caption: "Accuracy on adversarial inputs (ε = 0 is clean accuracy); \(result.samples) test samples")
        func row(_ e: RobustEntry) -> [String] {
            [e.attack, e.norm, String(format: "%g", e.eps), "\(e.steps)", String(format: "%.4g", e.stepSize), "\(e.restarts)",
             "\(e.samples)", String(format: "%.2f%%", 100 * e.robustAccuracy), String(format: "%.1f", e.seconds)]
        }
        let headers = ["attack", "norm", "ε", "steps", "step size", "restarts", "samples", "robust accuracy", "seconds"]
        r.table(headers: headers, rows: result.entries.map(row))
        r.heading("Worst case over attacks (per sample)")
        r.table(headers: ["ε", "robust accuracy", "attacks"],
                rows: result.worstCase.map { [String(format: "%g", $0.eps), String(format: "%.2f%%", 100 * $0.robustAccuracy),
                                              $0.attacks.joined(separator: ", ")] })
        if !result.sanityFigures.isEmpty {
            r.heading("Sanity-check reference attacks")
            r.table(headers: headers, rows: result.sanityFigures.map(row))
            if let z = result.zeroGradientFraction {
                r.paragraph(String(format: "Samples with a (near) zero input gradient: %.1f%%.", 100 * z))
            }
        }
        return r
    }

    /// Writes the report atomically.
    public static func write(_ result: RobustnessResult, model: String, to url: URL) throws {
        try html(result, model: model).write(to: url)
    }
}
