import Foundation

/// A search space declared up front as JSON (the `--space` of `hone ask`):
///
/// ```json
/// {"x":   {"type": "float", "low": -5, "high": 10, "log": false, "step": 0.5},
///  "n":   {"type": "int", "low": 1, "high": 8},
///  "opt": {"type": "categorical", "choices": ["adam", "sgd"]}}
/// ```
///
/// ```swift
/// let space = try SearchSpace.parse(#"{"x": {"type": "float", "low": 0, "high": 1}}"#)
/// ```
/// Every malformed entry throws ``TuneError/invalidSpace(field:reason:)`` naming the field
/// (`x.low`, `opt.choices[2]`, …).
public enum SearchSpace {
    /// Parses a SPACE document: inline JSON, or `@path` to read a file.
    public static func parse(_ text: String) throws -> [String: Distribution] {
        var json = text
        if text.hasPrefix("@") {
            let path = String(text.dropFirst())
            guard let data = FileManager.default.contents(atPath: path) else {
                throw TuneError.invalidSpace(field: "SPACE", reason: "cannot read file '\(path)'")
            }
            json = String(decoding: data, as: UTF8.self)
        }
        guard case .object(let entries) = try JSONText.parse(json, field: "SPACE") else {
            throw TuneError.invalidSpace(field: "SPACE", reason: "expected a JSON object mapping parameter names to distributions")
        }
        var out: [String: Distribution] = [:]
        for (name, spec) in entries { out[name] = try distribution(name, spec) }
        return out
    }

    private static func distribution(_ name: String, _ spec: JSONText) throws -> Distribution {
        guard case .object(let o) = spec else {
            throw TuneError.invalidSpace(field: name, reason: "expected an object such as {\"type\": \"float\", \"low\": 0, \"high\": 1}")
        }
        guard let typeValue = o["type"] else {
            throw TuneError.invalidSpace(field: "\(name).type", reason: "missing; expected \"float\", \"int\" or \"categorical\"")
        }
        guard case .string(let type) = typeValue else {
            throw TuneError.invalidSpace(field: "\(name).type", reason: "expected a string: \"float\", \"int\" or \"categorical\"")
        }
        func err(_ field: String, _ reason: String) -> TuneError { .invalidSpace(field: "\(name).\(field)", reason: reason) }
        func checkKeys(_ allowed: Set<String>) throws {
            for k in o.keys.sorted() where !allowed.contains(k) {
                throw err(k, "unknown field for type \(type); expected one of \(allowed.sorted().joined(separator: ", "))")
            }
        }
        func number(_ key: String) throws -> Double {
            guard let v = o[key] else { throw err(key, "missing; expected a number") }
            guard let d = v.number, d.isFinite else { throw err(key, "expected a finite number") }
            return d
        }
        func integer(_ key: String) throws -> Int {
            guard let v = o[key] else { throw err(key, "missing; expected an integer") }
            if case .int(let i) = v { return i }
            if case .double(let d) = v, d == d.rounded(), abs(d) < 1e15 { return Int(d) }
            throw err(key, "expected an integer")
        }
        func log() throws -> Bool {
            guard let v = o["log"] else { return false }
            guard case .bool(let b) = v else { throw err("log", "expected true or false") }
            return b
        }
        switch type {
        case "float":
            try checkKeys(["type", "low", "high", "log", "step"])
            let low = try number("low"), high = try number("high"), isLog = try log()
            guard low <= high else { throw err("high", "must be >= low (\(low)), got \(high)") }
            if isLog && low <= 0 { throw err("low", "log scale needs low > 0, got \(low)") }
            var step: Double?
            if o["step"] != nil && o["step"] != .null {
                let s = try number("step")
                guard s > 0 else { throw err("step", "must be positive, got \(s)") }
                if isLog { throw err("step", "step and log cannot be combined") }
                step = s
            }
            return .float(low: low, high: high, log: isLog, step: step)
        case "int":
            try checkKeys(["type", "low", "high", "log", "step"])
            let low = try integer("low"), high = try integer("high"), isLog = try log()
            guard low <= high else { throw err("high", "must be >= low (\(low)), got \(high)") }
            if isLog && low < 1 { throw err("low", "log scale needs low >= 1, got \(low)") }
            var step = 1
            if o["step"] != nil && o["step"] != .null {
                step = try integer("step")
                guard step > 0 else { throw err("step", "must be a positive integer, got \(step)") }
                if isLog && step != 1 { throw err("step", "step and log cannot be combined") }
            }
            return .int(low: low, high: high, log: isLog, step: step)
        case "categorical":
            try checkKeys(["type", "choices"])
            guard let c = o["choices"] else { throw err("choices", "missing; expected a non-empty array") }
            guard case .array(let items) = c, !items.isEmpty else { throw err("choices", "expected a non-empty array") }
            var choices: [CategoricalChoice] = []
            for (i, item) in items.enumerated() {
                switch item {
                case .string(let s): choices.append(.string(s))
                case .int(let v): choices.append(.int(v))
                case .double(let d) where d.isFinite: choices.append(.double(d))
                case .bool(let b): choices.append(.bool(b))
                default: throw err("choices[\(i)]", "expected a string, number or boolean")
                }
            }
            guard Set(choices).count == choices.count else { throw err("choices", "contains duplicates") }
            return .categorical(choices: choices)
        default:
            throw err("type", "unknown type '\(type)'; expected \"float\", \"int\" or \"categorical\"")
        }
    }
}
