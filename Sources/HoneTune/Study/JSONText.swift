import Foundation

/// A small JSON value with a deterministic writer (sorted keys, shortest round-trip numbers),
/// used for `hone ask` output and trial exports.
///
/// ```swift
/// JSONText.object(["trial": .int(3)]).serialized()   // {"trial":3}
/// ```
public indirect enum JSONText: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONText])
    case object([String: JSONText])

    /// JSON text; non-finite doubles (not representable in JSON) are written as strings
    /// `"NaN"`, `"Infinity"`, `"-Infinity"`. `spaced` puts a space after `:` and `,`.
    public func serialized(spaced: Bool = false) -> String {
        var out = ""
        write(into: &out, spaced: spaced)
        return out
    }

    private func write(into out: inout String, spaced: Bool) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d):
            if d.isNaN { out += "\"NaN\"" }
            else if d.isInfinite { out += d > 0 ? "\"Infinity\"" : "\"-Infinity\"" }
            else { out += "\(d)" }
        case .string(let s): Self.writeString(s, into: &out)
        case .array(let a):
            out += "["
            for (i, v) in a.enumerated() {
                if i > 0 { out += spaced ? ", " : "," }
                v.write(into: &out, spaced: spaced)
            }
            out += "]"
        case .object(let o):
            out += "{"
            for (i, k) in o.keys.sorted().enumerated() {
                if i > 0 { out += spaced ? ", " : "," }
                Self.writeString(k, into: &out)
                out += spaced ? ": " : ":"
                o[k]!.write(into: &out, spaced: spaced)
            }
            out += "}"
        }
    }

    private static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        out += "\""
    }

    /// The JSON form of a parameter value as the objective sees it.
    public init(_ p: ParamValue) {
        switch p {
        case .float(let d): self = .double(d)
        case .int(let i): self = .int(i)
        case .choice(let c):
            switch c {
            case .string(let s): self = .string(s)
            case .int(let i): self = .int(i)
            case .double(let d): self = .double(d)
            case .bool(let b): self = .bool(b)
            }
        }
    }
}
