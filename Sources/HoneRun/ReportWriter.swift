import Foundation
import HoneConfig
import HoneReport
import HoneTrain
import HoneTune

/// Writes `report.html` for a finished `hone tune`: summary, learning curves, optimization
/// history, parameter importance, parallel coordinates, contour and slices, the final model's
/// confusion matrix and classification report, diagnosis findings, and the trials table.
public enum ReportWriter {
    static func write(config: HoneConfig, data: LoadedData, study: Study, final: FinalModel,
                      summary: TuneSummary, dir: RunDirectory) throws {
        let trials = try study.trials()
        let records = MetricRecord.readAll(dir.metrics)
        let importance = ParameterImportance.compute(trials: trials, direction: .maximize)
        let charts = StudyCharts(trials: trials, direction: .maximize, importance: importance)
        var r = HTMLReport(title: "Hone study \(summary.study)")

        r.heading("Summary", id: "summary")
        r.keyValues([
            ("data", data.origin),
            ("trials", "\(summary.trialsCompleted) completed, \(summary.trialsPruned) pruned, \(summary.trialsFailed) failed"),
            ("sampler / pruner", "\(config.search.sampler) / \(config.search.pruner)"),
            ("best trial", "#\(summary.bestTrial): validation accuracy \(String(format: "%.4f", summary.bestValidation))"),
            ("best parameters", summary.bestParams.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")),
            ("test accuracy (retrained on all training data)", String(format: "%.4f", final.testAccuracy)),
            ("model parameters", String(final.parameterCount)),
            ("wall time", String(format: "%.1f s", summary.wallSeconds)),
        ])

        r.heading("Diagnosis", id: "diagnosis")
        let findings = diagnose(trials: trials, records: records, best: summary.bestTrial, final: final, config: config)
        if findings.isEmpty {
            r.paragraph("No overfitting, divergence, exploding or vanishing gradients, dead ReLU units or learning rate at the edge of stability detected.")
        }
        for f in findings { r.finding(f.title, detail: f.detail, fix: f.fix, severity: f.kind == .divergence ? .problem : .warning) }

        r.heading("Learning curves", id: "curves")
        let best = records.filter { $0.trial == summary.bestTrial }.sorted { $0.epoch < $1.epoch }
        let finalRecords = records.filter { $0.trial == -1 }.sorted { $0.epoch < $1.epoch }
        r.figureRow([(curve("Best trial #\(summary.bestTrial): loss", best, ["loss", "val_loss"], y: "loss"), "training vs validation loss"),
                     (curve("Best trial #\(summary.bestTrial): accuracy", best, ["accuracy", "val_accuracy"], y: "accuracy"), "training vs validation accuracy"),
                     (allTrials(records), "validation accuracy of every trial (pruned trials stop early)"),
                     (curve("Retrained model", finalRecords, ["loss", "accuracy"], y: "value"), "final retrain on the full training set")])

        r.heading("Search", id: "search")
        r.figureRow([(charts.history(), "objective of each completed trial and the best so far")])
        if !importance.isEmpty { r.figureRow([(charts.importanceChart(), "fANOVA importance (share of the objective's variance)")]) }
        r.figure(charts.parallelCoordinates(), caption: "parallel coordinates (darker = better)")
        if let contour = charts.contour() { r.figure(contour, caption: "mean objective over the two most important parameters; dots are trials") }
        r.figureRow(charts.slices().map { ($0.svg, "slice: \($0.name)") })

        let objectives = config.search.objectives
        if objectives.count > 1 {
            r.heading("Pareto front", id: "pareto")
            let front = ParetoObjectives.front(trials: trials, objectives: objectives)
            r.paragraph("Completed trials that no other trial beats on every objective (validation accuracy ↑, "
                        + "model file size ↓, latency of a batch of 128 ↓).")
            let names = objectives.map { o -> String in
                switch o { case "size": return "file bytes"; case "latency": return "latency ms (b128)"; default: return "val accuracy" }
            }
            r.table(headers: ["trial"] + names + ["parameters"], rows: front.map { p in
                let t = trials.first { $0.number == p.trial }
                return ["#\(p.trial)"] + zip(objectives, p.values).map { o, v in
                    o == "accuracy" ? String(format: "%.4f", v) : o == "size" ? String(Int(v)) : String(format: "%.3f", v)
                } + [t?.userAttributes["parameters"] ?? ""]
            })
        }

        r.heading("Final model on the test set", id: "final")
        let cm = final.confusion
        let total = cm.counts.map { Double($0.reduce(0, +)) }
        var heat = Heatmap(title: "Confusion matrix (rows: true class)", rowLabels: data.classNames, columnLabels: data.classNames,
                           values: cm.counts.enumerated().map { i, row in row.map { Double($0) / max(total[i], 1) * 100 } },
                           xLabel: "predicted", yLabel: "true")
        heat.valueFormat = "%.0f"
        r.figure(heat.render(), caption: "confusion matrix, % of each true class")
        r.preformatted(cm.report(classNames: data.classNames))

        r.heading("Trials", id: "trials")
        let table = charts.trialsTable()
        r.table(headers: table.headers, rows: table.rows, highlightRow: table.best)
        try r.write(to: dir.report)
    }

    static func curve(_ title: String, _ records: [MetricRecord], _ keys: [String], y: String) -> String {
        var c = LineChart(title: title, xLabel: "epoch", yLabel: y)
        c.width = 420; c.height = 260
        for k in keys {
            let pts = records.compactMap { r in r.values[k].map { (Double(r.epoch), $0) } }
            if !pts.isEmpty { c.add(.init(name: k, points: pts, style: .lineAndPoints)) }
        }
        return c.render()
    }

    static func allTrials(_ records: [MetricRecord]) -> String {
        var c = LineChart(title: "Validation accuracy per trial", xLabel: "epoch", yLabel: "val_accuracy")
        c.width = 420; c.height = 260
        for t in Set(records.map(\.trial)).sorted() where t >= 0 {
            let pts = records.filter { $0.trial == t }.sorted { $0.epoch < $1.epoch }.compactMap { r in r.values["val_accuracy"].map { (Double(r.epoch), $0) } }
            c.add(.init(name: "#\(t)", points: pts, style: .line))
        }
        return c.render()
    }

    static func diagnose(trials: [FrozenTrial], records: [MetricRecord], best: Int, final: FinalModel, config: HoneConfig) -> [Finding] {
        let bestRecords = records.filter { $0.trial == best }
        var out: [Finding] = []
        if let f = Diagnosis.overfitting(bestRecords) { out.append(f) }
        let nonFinite = trials.contains { $0.state == .fail && ($0.systemAttributes["fail_reason"] ?? "").lowercased().contains("finite") }
        if let f = Diagnosis.divergence(bestRecords, failedWithNonFinite: nonFinite) { out.append(f) }
        if let f = Diagnosis.explodingGradients(bestRecords) { out.append(f) }
        if let f = Diagnosis.vanishingGradients(bestRecords) { out.append(f) }
        if let f = Diagnosis.deadReLU(final.deadReLU) { out.append(f) }
        if case let .search(.float(low, high, true, _)) = config.training.learningRate,
           let bt = trials.first(where: { $0.number == best }), let lr = bt.params["training.learning_rate"], let v = bt.value {
            let others = trials.filter { $0.number != best && $0.state.isFinished }.compactMap { t in
                t.params["training.learning_rate"].map { (lr: $0, value: t.state == .complete ? t.value : nil) }
            }
            if let f = Diagnosis.learningRateEdge(best: (lr, v), others: others, range: low...high) { out.append(f) }
        }
        return out
    }
}
