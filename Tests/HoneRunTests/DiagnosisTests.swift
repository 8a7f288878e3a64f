import Testing
import HoneRun

@Suite struct DiagnosisTests {
    func epochs(_ rows: [[String: Double]], norms: [[String: Double]] = []) -> [MetricRecord] {
        rows.enumerated().map { i, v in
            var r = MetricRecord(trial: 0, epoch: i + 1, values: v)
            if i < norms.count { r.gradientNorms = norms[i] }
            return r
        }
    }

    @Test func overfittingFiresOnAGrowingGapOnly() {
        let over = epochs([["accuracy": 0.80, "val_accuracy": 0.79], ["accuracy": 0.88, "val_accuracy": 0.84],
                           ["accuracy": 0.94, "val_accuracy": 0.85], ["accuracy": 0.98, "val_accuracy": 0.85]])
        #expect(Diagnosis.overfitting(over)?.kind == .overfitting)
        let fine = epochs([["accuracy": 0.80, "val_accuracy": 0.79], ["accuracy": 0.85, "val_accuracy": 0.84],
                           ["accuracy": 0.88, "val_accuracy": 0.87], ["accuracy": 0.90, "val_accuracy": 0.89]])
        #expect(Diagnosis.overfitting(fine) == nil)
        let lossUp = epochs([["loss": 0.5, "val_loss": 0.40], ["loss": 0.4, "val_loss": 0.42], ["loss": 0.3, "val_loss": 0.45]])
        #expect(Diagnosis.overfitting(lossUp) != nil)
    }

    @Test func divergenceAndGradientRules() {
        #expect(Diagnosis.divergence(epochs([["loss": 0.9], ["loss": 1.4]])) != nil)
        #expect(Diagnosis.divergence(epochs([["loss": 0.9], ["loss": 0.5]])) == nil)
        #expect(Diagnosis.divergence([], failedWithNonFinite: true) != nil)
        let exploding = epochs([[:], [:]], norms: [["0.weight": 1, "2.weight": 1], ["0.weight": 30, "2.weight": 1]])
        #expect(Diagnosis.explodingGradients(exploding)?.detail.contains("0.weight") == true)
        #expect(Diagnosis.explodingGradients(epochs([[:]], norms: [["0.weight": 1]])) == nil)
        let vanishing = epochs([[:]], norms: [["1.weight": 1e-6, "7.weight": 0.5]])
        #expect(Diagnosis.vanishingGradients(vanishing)?.detail.contains("1.weight") == true)
        #expect(Diagnosis.vanishingGradients(epochs([[:]], norms: [["1.weight": 0.1, "7.weight": 0.5]])) == nil)
    }

    @Test func deadUnitsAndLearningRateEdge() {
        #expect(Diagnosis.deadReLU([("2", 0.05), ("5", 0.4)])?.detail.contains("40%") == true)
        #expect(Diagnosis.deadReLU([("2", 0.05)]) == nil)
        let edge = Diagnosis.learningRateEdge(best: (0.05, 0.88), others: [(0.08, nil), (0.09, 0.2), (0.001, 0.85)], range: 1e-4...0.1)
        #expect(edge?.kind == .learningRateEdge)
        #expect(Diagnosis.learningRateEdge(best: (0.05, 0.88), others: [(0.08, 0.87)], range: 1e-4...0.1) == nil)
        #expect(Diagnosis.learningRateEdge(best: (0.001, 0.88), others: [(0.08, nil)], range: 1e-4...0.1) == nil)
    }
}
