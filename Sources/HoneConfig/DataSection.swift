/// `data:` — where the examples come from.
///
/// ```yaml
/// data:
///   source: idx                 # bundled | idx | cifar10 | csv
///   path: /usr/share/datasets/fashion-mnist
///   validation_split: 0.1
/// ```
public struct DataSection: Hashable, Sendable {
    public enum Source: String, Sendable, CaseIterable { case bundled, idx, cifar10, csv }
    public var source: Source = .bundled
    /// Directory (idx, cifar10) or file (csv).
    public var path: String?
    /// Fraction of the training set held out for validation while tuning.
    public var validationSplit = 0.1
    /// CSV only: the label column (name or 0-based index) and whether a header row exists.
    public var labelColumn: String?
    public var header = true
    /// Use only the first N training examples (stratified) — for quick runs.
    public var trainLimit: Int?

    public init() {}

    static let keys = ["source", "path", "validation_split", "label_column", "header", "train_limit"]

    init(_ n: YAMLNode) throws {
        try n.checkKeys(Self.keys)
        if let s = try n.child("source") { source = Source(rawValue: try s.oneOf(Source.allCases.map(\.rawValue)))! }
        path = try n.child("path")?.string()
        if let v = try n.child("validation_split") {
            validationSplit = try v.double()
            guard validationSplit > 0 && validationSplit < 1 else { throw v.error("expected a fraction in (0, 1), got \(validationSplit)") }
        }
        labelColumn = try n.child("label_column")?.string()
        header = try n.child("header")?.bool() ?? true
        if let v = try n.child("train_limit") {
            trainLimit = try v.int()
            guard trainLimit! > 0 else { throw v.error("expected a positive count") }
        }
        if source != .bundled && path == nil { throw n.error("source \(source.rawValue) needs a path") }
        if source == .csv && labelColumn == nil { throw n.error("source csv needs label_column (a column name or index)") }
    }
}
