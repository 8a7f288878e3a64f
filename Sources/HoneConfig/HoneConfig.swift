import Foundation

/// A whole Hone run, read from YAML: data → model → training → search, plus the `compress` and
/// `robustness` sections (kept as YAML for the stages that read them).
///
/// ```swift
/// let config = try HoneConfig.load(path: "examples/fashion-mnist.yaml")
/// let config2 = try HoneConfig.parse(yaml, file: "inline")
/// ```
public struct HoneConfig: Sendable {
    public var data = DataSection()
    public var model = ModelSection()
    public var training = TrainingSection()
    public var search = SearchSection()
    /// Raw `compress:` section.
    public var compress: YAMLNode?
    /// The parsed and validated `compress:` section (nil when absent).
    public var compression: CompressSection?
    /// Raw `robustness:` section (validated by the robustness stage).
    public var robustness: YAMLNode?
    /// Where run directories go (default `runs`).
    public var output = "runs"
    /// The file this config came from.
    public var file = "<default>"

    public init() {}

    public static let sections = ["data", "model", "training", "search", "compress", "robustness", "output"]

    /// Parses YAML text. Every problem is a ``ConfigError`` naming `file`, line and field path.
    public static func parse(_ text: String, file: String) throws -> HoneConfig {
        let root = try YAMLNode.parse(text, file: file)
        var c = HoneConfig()
        c.file = file
        if root.isNull { return c }
        guard root.isMapping else { throw root.error("expected a mapping with sections \(sections.joined(separator: ", "))") }
        try root.checkKeys(sections)
        if let n = try root.child("data") { c.data = try DataSection(n) }
        if let n = try root.child("model") { c.model = try ModelSection(n) }
        if let n = try root.child("training") { c.training = try TrainingSection(n) }
        if let n = try root.child("search") { c.search = try SearchSection(n) }
        if let n = try root.child("compress"), !n.isNull {
            guard n.isMapping else { throw n.error("expected a mapping") }
            c.compress = n
            c.compression = try CompressSection(n)
        }
        if let n = try root.child("robustness"), !n.isNull {
            guard n.isMapping else { throw n.error("expected a mapping") }
            _ = try RobustnessSection(n)   // validate early: errors name file, line and field
            c.robustness = n
        }
        if let n = try root.child("output") { c.output = try n.string() }
        return c
    }

    /// Reads and parses a config file; a missing or unreadable file is a ``ConfigError`` too.
    public static func load(path: String) throws -> HoneConfig {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ConfigError(file: path, line: nil, column: nil, path: "", message: "config file not found")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, line: nil, column: nil, path: "", message: "cannot read the file as UTF-8 text")
        }
        return try parse(text, file: path)
    }
}
