/// The parsed contents of a CSV file: numeric features (NaN where missing) and the label column's
/// texts, from which class labels (classification) or targets (regression) are derived.
///
/// ```swift
/// let table = try CSVReader.read(path: "data.csv")
/// table.featureNames      // ["x1", "x2"]
/// let data = try table.dataset()
/// ```
public struct CSVTable: Sendable, Equatable {
    /// The file the table came from (used in error messages).
    public let file: String
    public let featureNames: [String]
    public let rowCount: Int
    /// `rowCount × featureNames.count` values, row-major; NaN marks a missing value.
    public let features: [Float]
    public let labelColumnName: String?
    /// The label column's trimmed texts, one per row (nil when no label column was chosen).
    public let labelTexts: [String]?

    /// Class labels and names: when every label is a non-negative integer, the labels are those
    /// integers and the names their decimal texts; otherwise the distinct texts, sorted, are the
    /// classes `0, 1, …`.
    public func classLabels() throws(DataError) -> (labels: [Int32], classNames: [String]) {
        guard let labelTexts else {
            throw DataError(.invalidArgument, file: file, "no label column was chosen (CSVOptions.labelColumn is nil)")
        }
        let integers = labelTexts.map { Int32($0) }
        if !integers.isEmpty, integers.allSatisfy({ $0 != nil && $0! >= 0 }) {
            let values = integers.map { $0! }
            let classes = Int(values.max()!) + 1
            guard classes <= 1_000_000 else {
                throw DataError(.badValue, file: file, "label \(classes - 1) in column \"\(labelColumnName ?? "")\" is too large for a class index")
            }
            return (values, (0..<classes).map(String.init))
        }
        let names = Array(Set(labelTexts)).sorted()
        var index: [String: Int32] = [:]
        for (i, n) in names.enumerated() { index[n] = Int32(i) }
        return (labelTexts.map { index[$0]! }, names)
    }

    /// The label column as numbers, for regression.
    public func targets() throws(DataError) -> [Float] {
        guard let labelTexts else {
            throw DataError(.invalidArgument, file: file, "no label column was chosen (CSVOptions.labelColumn is nil)")
        }
        var out = [Float]()
        out.reserveCapacity(labelTexts.count)
        for (row, text) in labelTexts.enumerated() {
            guard let v = Float(text) else {
                throw DataError(.badValue, file: file,
                                "target \"\(text)\" in data row \(row + 1) of column \"\(labelColumnName ?? "")\" is not a number")
            }
            out.append(v)
        }
        return out
    }

    /// A classification dataset: features `[rowCount, featureCount]` and class labels.
    public func dataset() throws(DataError) -> InMemoryDataset {
        guard !featureNames.isEmpty else {
            throw DataError(.invalidArgument, file: file, "CSV has no feature columns besides the label")
        }
        let (labels, names) = try classLabels()
        return InMemoryDataset(features: features, featureShape: [featureNames.count], labels: labels,
                               classCount: names.count, classNames: names)
    }
}
