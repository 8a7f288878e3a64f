import Yams

/// A YAML node with the file it came from and its field path, offering typed reads that throw
/// ``ConfigError``s pointing at the exact line and field.
public struct YAMLNode: @unchecked Sendable {
    let node: Node
    public let file: String
    public let path: String

    init(_ node: Node, file: String, path: String) {
        self.node = node; self.file = file; self.path = path
    }

    /// Parses YAML text; syntax errors become a ``ConfigError`` with the line.
    public static func parse(_ text: String, file: String) throws -> YAMLNode {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                return YAMLNode(Node.mapping(Node.Mapping([])), file: file, path: "")
            }
            return YAMLNode(node, file: file, path: "")
        } catch let e as YamlError {
            switch e {
            case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
                throw ConfigError(file: file, line: mark.line, column: mark.column, path: "", message: "invalid YAML: \(problem)")
            case let .duplicatedKeysInMapping(duplicates, context):
                throw ConfigError(file: file, line: context.mark.line, column: context.mark.column, path: "",
                                  message: "duplicate key(s) \(duplicates.joined(separator: ", "))")
            default:
                throw ConfigError(file: file, line: nil, column: nil, path: "", message: "invalid YAML: \(e)")
            }
        }
    }

    public var line: Int? { node.mark?.line }
    public var column: Int? { node.mark?.column }

    /// An error at this node.
    public func error(_ message: String) -> ConfigError {
        ConfigError(file: file, line: line, column: column, path: path, message: message)
    }

    /// A short description of what the node holds, for "expected X, found Y" messages.
    public var kindDescription: String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let s):
            if node.null != nil { return "nothing (null)" }
            return "\"\(s.string)\""
        }
    }

    public var isMapping: Bool { node.mapping != nil }
    public var isSequence: Bool { node.sequence != nil }
    public var isNull: Bool { if case .scalar = node { return node.null != nil }; return false }

    /// Keys of a mapping in file order.
    public func keys() throws -> [String] {
        guard let m = node.mapping else { throw error("expected a mapping, found \(kindDescription)") }
        return m.keys.compactMap(\.string)
    }

    /// The value under `key`, or nil when absent.
    public func child(_ key: String) throws -> YAMLNode? {
        guard let m = node.mapping else { throw error("expected a mapping, found \(kindDescription)") }
        guard let v = m[Node(key)] else { return nil }
        return YAMLNode(v, file: file, path: path.isEmpty ? key : "\(path).\(key)")
    }

    /// The elements of a list.
    public func elements() throws -> [YAMLNode] {
        guard let s = node.sequence else { throw error("expected a list, found \(kindDescription)") }
        return s.enumerated().map { YAMLNode($0.element, file: file, path: "\(path)[\($0.offset)]") }
    }

    /// Throws for any key not in `allowed`, suggesting the closest allowed key.
    public func checkKeys(_ allowed: [String]) throws {
        guard let m = node.mapping else { throw error("expected a mapping, found \(kindDescription)") }
        for (k, _) in m {
            guard let name = k.string else { continue }
            if !allowed.contains(name) {
                let at = YAMLNode(k, file: file, path: path.isEmpty ? name : "\(path).\(name)")
                if let s = Spelling.suggestion(for: name, among: allowed) {
                    throw at.error("unknown key; did you mean \"\(s)\"?")
                }
                throw at.error("unknown key; expected one of: \(allowed.joined(separator: ", "))")
            }
        }
    }

    public func string() throws -> String {
        guard case .scalar(let s) = node, node.null == nil else { throw error("expected a string, found \(kindDescription)") }
        return s.string
    }

    public func double() throws -> Double {
        guard case .scalar = node, let v = node.float ?? node.int.map(Double.init) else {
            throw error("expected a number, found \(kindDescription)")
        }
        return v
    }

    public func int() throws -> Int {
        guard case .scalar = node, let v = node.int else { throw error("expected an integer, found \(kindDescription)") }
        return v
    }

    public func bool() throws -> Bool {
        guard case .scalar = node, let v = node.bool else { throw error("expected true or false, found \(kindDescription)") }
        return v
    }

    /// A string that must be one of `choices` (with a suggestion when it is close to one).
    public func oneOf(_ choices: [String]) throws -> String {
        let s = try string()
        guard choices.contains(s) else {
            if let g = Spelling.suggestion(for: s, among: choices) {
                throw error("unknown value \"\(s)\"; did you mean \"\(g)\"? (expected one of: \(choices.joined(separator: ", ")))")
            }
            throw error("unknown value \"\(s)\"; expected one of: \(choices.joined(separator: ", "))")
        }
        return s
    }

    /// The scalar as the most specific type it parses as.
    var scalarValue: ScalarValue? {
        guard case .scalar(let s) = node, node.null == nil else { return nil }
        if s.style == .plain {
            if let b = node.bool { return .bool(b) }
            if let i = node.int { return .int(i) }
            if let d = node.float { return .double(d) }
        }
        return .string(s.string)
    }

    enum ScalarValue { case bool(Bool), int(Int), double(Double), string(String) }
}
