/// Reads numeric CSV files (RFC 4180 quoting) into a feature matrix and a label column.
///
/// Missing values — an empty field or one of `CSVOptions.missingTokens` (`NA`, `NaN`, `?`, …) — become
/// `Float.nan` (impute them with `Imputer`). A row with a different number of fields than the
/// header is an error naming the file and line, as is a non-numeric feature value.
///
/// ```swift
/// var options = CSVOptions()
/// options.labelColumn = .name("species")
/// let table = try CSVReader.read(path: "iris.csv", options: options)
/// let data = try table.dataset()      // features [150, 4], string labels mapped to 0, 1, 2
/// ```
public enum CSVReader {
    /// Reads and parses the file at `path` (gunzipping it when it starts with the gzip magic).
    public static func read(path: String, options: CSVOptions = CSVOptions()) throws(DataError) -> CSVTable {
        try parse(try FileBytes.readMaybeGzip(path: path), file: path, options: options)
    }

    /// Parses CSV text; `file` names the source in errors.
    public static func parse(_ bytes: [UInt8], file: String, options: CSVOptions = CSVOptions()) throws(DataError) -> CSVTable {
        var rows = try CSVTokenizer.records(bytes, file: file, delimiter: options.delimiter)
        guard let first = rows.first else {
            throw DataError(.sizeMismatch, file: file, "CSV file has no rows")
        }
        let width = first.fields.count
        let names: [String]
        if options.hasHeader {
            names = first.fields.map { String($0.trimmedWhitespace()) }
            rows.removeFirst()
        } else {
            names = (0..<width).map { "column\($0 + 1)" }
        }
        for row in rows where row.fields.count != width {
            throw DataError(.raggedRow, file: file, line: row.line,
                            "ragged row: \(row.fields.count) fields, expected \(width) (as in \(options.hasHeader ? "the header" : "the first row") on line \(first.line))")
        }
        let labelIndex = try options.labelColumn.map { column throws(DataError) in
            try resolve(column, names: names, file: file)
        }
        let featureColumns = (0..<width).filter { $0 != labelIndex }
        var features = [Float]()
        features.reserveCapacity(rows.count * featureColumns.count)
        for row in rows {
            for c in featureColumns {
                let text = row.fields[c].trimmedWhitespace()
                if options.missingTokens.contains(String(text)) {
                    features.append(.nan)
                } else if let value = Float(text) {
                    features.append(value)
                } else {
                    throw DataError(.badValue, file: file, line: row.line,
                                    "column \"\(names[c])\" (\(c + 1)) holds \"\(text)\", expected a number or a missing-value marker (\(options.missingTokens.sorted().map { "\"\($0)\"" }.joined(separator: ", ")))")
                }
            }
        }
        var labelTexts: [String]?
        if let labelIndex {
            labelTexts = []
            for row in rows {
                let text = String(row.fields[labelIndex].trimmedWhitespace())
                if options.missingTokens.contains(text) {
                    throw DataError(.badValue, file: file, line: row.line,
                                    "label column \"\(names[labelIndex])\" is missing (\"\(text)\"); every row needs a label")
                }
                labelTexts!.append(text)
            }
        }
        return CSVTable(file: file, featureNames: featureColumns.map { names[$0] }, rowCount: rows.count,
                        features: features, labelColumnName: labelIndex.map { names[$0] }, labelTexts: labelTexts)
    }

    private static func resolve(_ column: CSVOptions.LabelColumn, names: [String], file: String) throws(DataError) -> Int {
        switch column {
        case .last:
            return names.count - 1
        case .index(let i):
            guard i >= 0 && i < names.count else {
                throw DataError(.invalidArgument, file: file, "label column index \(i) is outside 0..<\(names.count)")
            }
            return i
        case .name(let name):
            if let i = names.firstIndex(of: name) { return i }
            throw DataError(.invalidArgument, file: file,
                            "no column named \"\(name)\" for the label; the header has \(names.map { "\"\($0)\"" }.joined(separator: ", "))")
        }
    }
}

/// How to read a CSV file.
public struct CSVOptions: Sendable, Equatable {
    /// Which column holds the label.
    public enum LabelColumn: Sendable, Equatable {
        case name(String), index(Int), last
    }

    /// The field separator (`,` by default; `;` and tab are common).
    public var delimiter: UInt8 = UInt8(ascii: ",")
    /// Whether the first row names the columns.
    public var hasHeader = true
    /// Texts that mean "missing" and become NaN (compared after trimming whitespace).
    public var missingTokens: Set<String> = ["", "NA", "N/A", "NaN", "nan", "?", "null"]
    /// The label column, or nil for a file of features only.
    public var labelColumn: LabelColumn? = .last

    public init() {}
}
