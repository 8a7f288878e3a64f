import Foundation

extension ConfusionMatrix {
    /// A text report in the layout of scikit-learn's `classification_report`: per-class precision,
    /// recall, F1 and support, then accuracy and the macro and weighted averages.
    public func report(classNames: [String]? = nil, digits: Int = 4) -> String {
        let names = classNames ?? (0..<classCount).map(String.init)
        precondition(names.count == classCount,
                     "ConfusionMatrix.report: \(names.count) class names for \(classCount) classes")
        let headers = ["precision", "recall", "f1-score", "support"]
        let width = max(names.map(\.count).max() ?? 0, "weighted avg".count, digits)
        func num(_ v: Double) -> String { pad(String(format: "%.\(digits)f", v), 9) }
        func pad(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - s.count)) + s }
        var lines = [pad("", width) + " " + headers.map { pad($0, 9) }.joined(separator: " ")]
        lines.append("")
        for c in 0..<classCount {
            lines.append(pad(names[c], width) + " " + [num(precision(c)), num(recall(c)), num(f1(c)),
                                                      pad(String(support(c)), 9)].joined(separator: " "))
        }
        lines.append("")
        lines.append(pad("accuracy", width) + " " + [pad("", 9), pad("", 9), num(accuracy),
                                                     pad(String(total), 9)].joined(separator: " "))
        for avg in [Average.macro, .weighted] {
            let label = avg == .macro ? "macro avg" : "weighted avg"
            lines.append(pad(label, width) + " " + [num(precision(average: avg)), num(recall(average: avg)),
                                                   num(f1(average: avg)), pad(String(total), 9)].joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }
}
