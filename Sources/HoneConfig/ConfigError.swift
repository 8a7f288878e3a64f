/// A problem with a config file, pointing at the file, line, and field path, saying what was
/// expected — and, for misspelled keys, what was probably meant.
///
/// ```text
/// examples/x.yaml:12:5: training.optimiser: unknown key; did you mean "optimizer"?
/// ```
public struct ConfigError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String
    public var line: Int?
    public var column: Int?
    /// Dotted field path, e.g. `model.layers[2].units`.
    public var path: String
    public var message: String

    public init(file: String, line: Int?, column: Int?, path: String, message: String) {
        self.file = file; self.line = line; self.column = column; self.path = path; self.message = message
    }

    public var description: String {
        var where_ = file
        if let line { where_ += ":\(line)"; if let column { where_ += ":\(column)" } }
        return path.isEmpty ? "\(where_): \(message)" : "\(where_): \(path): \(message)"
    }
}

/// Levenshtein edit distance used for "did you mean …" suggestions.
enum Spelling {
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased()), b = Array(b.lowercased())
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count), cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }

    /// The closest candidate within a distance of about a third of the word, if any.
    static func suggestion(for word: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(word, $0)) }.sorted { $0.1 < $1.1 }
        guard let best = scored.first, best.1 <= max(2, word.count / 3) else { return nil }
        return best.0
    }
}
