/// The error every HoneData reader and preprocessor throws for bad input: it names the file (or
/// the component, for in-memory data), the problem, and — for text formats — the line.
///
/// ```swift
/// do { _ = try IDXFile.read(path: "train-images-idx3-ubyte.gz") }
/// catch let error as DataError {
///     print(error)   // "train-images-idx3-ubyte.gz: gzip data is truncated (…)"
///     if error.kind == .corruptCompression { … }
/// }
/// ```
public struct DataError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, for code that needs to react to a class of problems.
    public enum Kind: String, Sendable, Equatable {
        /// The file does not exist or cannot be opened or read.
        case unreadable
        /// The gzip stream is truncated, corrupt, or fails its CRC-32/ISIZE check.
        case corruptCompression
        /// The file's magic number is not the one the format requires.
        case badMagic
        /// The IDX type byte names no known element type, or the type does not fit the use.
        case unsupportedType
        /// The header's sizes disagree with the number of bytes in the file.
        case sizeMismatch
        /// Two files that must describe the same examples (images and labels) disagree.
        case countMismatch
        /// A text row has a different number of fields than the header/first row.
        case raggedRow
        /// A value cannot be parsed or is out of its allowed range (for example a label ≥ 10).
        case badValue
        /// A column, option or argument names something that does not exist or is invalid.
        case invalidArgument
    }

    public let kind: Kind
    /// The file path, or a component name such as `"Standardizer"` for in-memory data.
    public let file: String
    /// The 1-based line of a text file, when the problem is on one line.
    public let line: Int?
    /// A sentence saying what was found and what was expected.
    public let problem: String

    public init(_ kind: Kind, file: String, line: Int? = nil, _ problem: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.problem = problem
    }

    public var description: String {
        if let line { return "\(file):\(line): \(problem)" }
        return "\(file): \(problem)"
    }
}
