import Foundation

extension JSONText: Decodable {
    /// Decodes any JSON value; numbers without a fraction or exponent that fit in `Int`
    /// become `.int`, other numbers `.double`.
    public init(from decoder: any Decoder) throws {
        if var a = try? decoder.unkeyedContainer() {
            var out: [JSONText] = []
            while !a.isAtEnd { out.append(try a.decode(JSONText.self)) }
            self = .array(out)
            return
        }
        if let o = try? decoder.container(keyedBy: AnyKey.self) {
            var out: [String: JSONText] = [:]
            for k in o.allKeys { out[k.stringValue] = try o.decode(JSONText.self, forKey: k) }
            self = .object(out)
            return
        }
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else { self = .string(try c.decode(String.self)) }
    }

    /// Parses JSON text; `field` names the document in the error.
    public static func parse(_ text: String, field: String) throws -> JSONText {
        do { return try JSONDecoder().decode(JSONText.self, from: Data(text.utf8)) }
        catch { throw TuneError.invalidSpace(field: field, reason: "not valid JSON (\(Self.describe(error)))") }
    }

    private static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let c) = error {
            return (c.underlyingError.map { "\($0)" } ?? c.debugDescription)
        }
        return "\(error)"
    }

    /// The number as a Double, for `.int` and `.double`.
    public var number: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}
