import Foundation

/// A confusion matrix: `counts[t][p]` is the number of samples of true class `t` predicted as `p`
/// (rows = truth, columns = prediction, as in scikit-learn's `confusion_matrix`).
///
/// ```swift
/// let cm = ConfusionMatrix(labels: [0, 1, 1], predictions: [0, 1, 0], classCount: 2)
/// cm.accuracy            // 0.667
/// cm.f1(average: .macro) // 0.667
/// print(cm.report(classNames: ["cat", "dog"]))
/// ```
public struct ConfusionMatrix: Sendable, Codable, Hashable {
    public let classCount: Int
    public private(set) var counts: [[Int]]

    /// How per-class scores combine into one (scikit-learn's `average=`).
    public enum Average: String, Sendable, Codable, CaseIterable {
        /// Unweighted mean over classes.
        case macro
        /// Global counts of true positives, false positives and false negatives.
        case micro
        /// Mean over classes weighted by support (true count).
        case weighted
    }

    public init(classCount: Int) {
        precondition(classCount > 0, "ConfusionMatrix: classCount must be positive")
        self.classCount = classCount
        counts = Array(repeating: Array(repeating: 0, count: classCount), count: classCount)
    }

    /// Builds the matrix from true labels and predicted labels (both in `0..<classCount`).
    public init(labels: [Int32], predictions: [Int32], classCount: Int) {
        precondition(labels.count == predictions.count,
                     "ConfusionMatrix: \(labels.count) labels but \(predictions.count) predictions")
        self.init(classCount: classCount)
        add(labels: labels, predictions: predictions)
    }

    /// Adds a batch of outcomes.
    public mutating func add(labels: [Int32], predictions: [Int32]) {
        for (t, p) in zip(labels, predictions) {
            precondition(t >= 0 && Int(t) < classCount && p >= 0 && Int(p) < classCount,
                         "ConfusionMatrix: label \(t) or prediction \(p) outside 0..<\(classCount)")
            counts[Int(t)][Int(p)] += 1
        }
    }

    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }
    public var correct: Int { (0..<classCount).reduce(0) { $0 + counts[$1][$1] } }
    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }

    /// Number of true samples of class `c`.
    public func support(_ c: Int) -> Int { counts[c].reduce(0, +) }
    func predictedCount(_ c: Int) -> Int { (0..<classCount).reduce(0) { $0 + counts[$1][c] } }

    /// Per-class precision TP/(TP+FP); 0 when the class is never predicted (scikit-learn's
    /// `zero_division=0`).
    public func precision(_ c: Int) -> Double { ratio(counts[c][c], predictedCount(c)) }
    /// Per-class recall TP/(TP+FN); 0 when the class never occurs.
    public func recall(_ c: Int) -> Double { ratio(counts[c][c], support(c)) }
    /// Per-class F1, the harmonic mean of precision and recall.
    public func f1(_ c: Int) -> Double {
        let p = precision(c), r = recall(c)
        return p + r == 0 ? 0 : 2 * p * r / (p + r)
    }

    public func precision(average: Average) -> Double { combine(average, precision) }
    public func recall(average: Average) -> Double { combine(average, recall) }
    public func f1(average: Average) -> Double { combine(average, f1) }

    private func combine(_ average: Average, _ score: (Int) -> Double) -> Double {
        switch average {
        case .micro:
            // Single-label multiclass: micro precision = recall = F1 = accuracy.
            return accuracy
        case .macro:
            return (0..<classCount).reduce(0) { $0 + score($1) } / Double(classCount)
        case .weighted:
            let n = total
            guard n > 0 else { return 0 }
            return (0..<classCount).reduce(0) { $0 + score($1) * Double(support($1)) } / Double(n)
        }
    }

    private func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }
}
