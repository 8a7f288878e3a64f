import Testing
import HoneTrain

/// Expected values printed by scikit-learn 1.9 (`sklearn.metrics`) on the same inputs.
@Suite struct MetricsTests {
    let y: [Int32] = [0, 1, 2, 2, 1, 0, 2, 1, 1, 0, 2, 2, 3, 3, 0]
    let p: [Int32] = [0, 2, 2, 2, 1, 0, 1, 1, 0, 0, 2, 1, 3, 0, 0]

    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-12 }

    @Test func confusionMatrixAndAverages() {
        let cm = ConfusionMatrix(labels: y, predictions: p, classCount: 4)
        #expect(cm.counts == [[4, 0, 0, 0], [1, 2, 1, 0], [0, 2, 3, 0], [1, 0, 0, 1]])
        #expect(close(cm.precision(average: .macro), 0.7291666666666666))
        #expect(close(cm.recall(average: .macro), 0.65))
        #expect(close(cm.f1(average: .macro), 0.6583333333333333))
        #expect(close(cm.f1(average: .micro), 0.6666666666666666))
        #expect(close(cm.precision(average: .weighted), 0.6944444444444444))
        #expect(close(cm.recall(average: .weighted), 0.6666666666666666))
        #expect(close(cm.f1(average: .weighted), 0.6577777777777778))
    }

    @Test func zeroDivisionGivesZero() {
        let cm = ConfusionMatrix(labels: [0, 1, 1, 2], predictions: [0, 0, 0, 0], classCount: 3)
        #expect(close(cm.precision(average: .macro), 0.08333333333333333))
        #expect(close(cm.f1(average: .macro), 0.13333333333333333))
    }

    @Test func reportHasSklearnRows() {
        let r = ConfusionMatrix(labels: y, predictions: p, classCount: 4).report()
        #expect(r.contains("0.6667    1.0000    0.8000         4"))
        #expect(r.contains("macro avg"))
        #expect(r.contains("0.7292    0.6500    0.6583        15"))
        #expect(r.contains("0.6944    0.6667    0.6578        15"))
    }

    @Test func regression() {
        let t = [3.0, -0.5, 2.0, 7.0, 4.2], q = [2.5, 0.0, 2.1, 7.8, 3.9]
        #expect(abs(RegressionMetrics.meanSquaredError(t, q) - 0.248) < 1e-12)
        #expect(abs(RegressionMetrics.meanAbsoluteError(t, q) - 0.44) < 1e-12)
        #expect(abs(RegressionMetrics.r2(t, q) - 0.9594665271966527) < 1e-12)
    }

    @Test func argmaxAndTopK() {
        let scores: [Float] = [0.1, 0.7, 0.2,   0.5, 0.3, 0.2,   0.2, 0.3, 0.5]
        #expect(ScoreMetrics.argmax(scores: scores, classes: 3) == [1, 0, 2])
        #expect(ScoreMetrics.topKAccuracy(scores: scores, classes: 3, labels: [2, 1, 0], k: 1) == 0)
        #expect(abs(ScoreMetrics.topKAccuracy(scores: scores, classes: 3, labels: [2, 1, 0], k: 2) - 2.0 / 3) < 1e-12)
    }
}
