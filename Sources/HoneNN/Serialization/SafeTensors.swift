import Foundation
import HoneTensor

/// Reading and writing the safetensors format (`huggingface/safetensors`, FIELD-GUIDE §8.1):
/// an 8-byte little-endian header length N, N bytes of JSON (padded with spaces to a multiple of
/// 8) mapping names to `{dtype, shape, data_offsets}` plus an optional `__metadata__` string map,
/// then the little-endian, row-major data. The writer orders entries like the reference library
/// (by dtype alignment, largest first, then by name) and writes `__metadata__` first; the reader
/// validates the header bounds, every entry and that the entries tile the data buffer exactly.
///
/// ```swift
/// let file = SafeTensors(tensors: ["fc.weight": .init(Tensor.ones([2, 3]))], metadata: ["format": "hone"])
/// try file.write(to: URL(fileURLWithPath: "/tmp/w.safetensors"))
/// let back = try SafeTensors.read(from: URL(fileURLWithPath: "/tmp/w.safetensors"))
/// ```
public struct SafeTensors: Sendable, Equatable {
    /// Element types of the format (the ones with a whole number of bytes per element).
    public enum DType: String, Sendable, CaseIterable {
        case BOOL, U8, I8, F8_E5M2, F8_E4M3, I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64, C64

        /// Bytes per element.
        public var size: Int {
            switch self {
            case .BOOL, .U8, .I8, .F8_E5M2, .F8_E4M3: return 1
            case .I16, .U16, .F16, .BF16: return 2
            case .I32, .U32, .F32: return 4
            case .F64, .I64, .U64, .C64: return 8
            }
        }
    }

    /// One stored tensor: its dtype, shape and raw little-endian bytes.
    public struct Entry: Sendable, Equatable {
        public var dtype: DType
        public var shape: [Int]
        public var bytes: [UInt8]

        public init(dtype: DType, shape: [Int], bytes: [UInt8]) {
            precondition(shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) * dtype.size == bytes.count,
                         "SafeTensors.Entry: \(bytes.count) bytes do not fit \(dtype) \(shape)")
            self.dtype = dtype; self.shape = shape; self.bytes = bytes
        }

        /// An F32 entry holding a tensor's values.
        public init(_ tensor: Tensor) {
            let bytes = tensor.withUnsafeBufferPointer { p in
                p.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian) { Array($0) } }
            }
            self.init(dtype: .F32, shape: tensor.shape, bytes: bytes)
        }

        /// An I64 entry (e.g. a step counter).
        public init(int64 values: [Int64], shape: [Int]? = nil) {
            self.init(dtype: .I64, shape: shape ?? [values.count],
                      bytes: values.flatMap { withUnsafeBytes(of: $0.littleEndian) { Array($0) } })
        }

        /// An I8 entry (quantized weights).
        public init(int8 values: [Int8], shape: [Int]? = nil) {
            self.init(dtype: .I8, shape: shape ?? [values.count], bytes: values.map { UInt8(bitPattern: $0) })
        }

        /// The values of an F32 entry as a tensor (nil for other dtypes).
        public var tensor: Tensor? {
            guard dtype == .F32 else { return nil }
            let n = bytes.count / 4
            var values = [Float](repeating: 0, count: n)
            bytes.withUnsafeBytes { raw in
                for i in 0..<n {
                    values[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                }
            }
            return Tensor(shape: shape, scalars: values)
        }
    }

    public var tensors: [String: Entry]
    public var metadata: [String: String]

    public init(tensors: [String: Entry] = [:], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// Names in the order the reference writer uses: dtype size descending, then name.
    public var orderedNames: [String] {
        tensors.keys.sorted { a, b in
            let sa = tensors[a]!.dtype.size, sb = tensors[b]!.dtype.size
            return sa != sb ? sa > sb : a < b
        }
    }

    /// The complete file contents.
    public func encoded() -> [UInt8] {
        var header = "{"
        var parts: [String] = []
        if !metadata.isEmpty {
            let items = metadata.keys.sorted().map { "\(SafeTensors.jsonString($0)):\(SafeTensors.jsonString(metadata[$0]!))" }
            parts.append("\"__metadata__\":{" + items.joined(separator: ",") + "}")
        }
        var offset = 0
        let names = orderedNames
        for name in names {
            let e = tensors[name]!
            let end = offset + e.bytes.count
            parts.append("\(SafeTensors.jsonString(name)):{\"dtype\":\"\(e.dtype.rawValue)\",\"shape\":["
                         + e.shape.map(String.init).joined(separator: ",") + "],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        header += parts.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        var out = withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { Array($0) }
        out.reserveCapacity(8 + headerBytes.count + offset)
        out += headerBytes
        for name in names { out += tensors[name]!.bytes }
        return out
    }

    /// Writes the file atomically (temporary file, fsync, rename).
    public func write(to url: URL) throws {
        try AtomicFile.write(encoded(), to: url)
    }

    /// Reads and validates a file.
    public static func read(from url: URL) throws -> SafeTensors {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw SafeTensorsError.io(file: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        return try decode([UInt8](data), file: url.path)
    }

    /// Parses and validates file contents; `file` names the source in errors.
    public static func decode(_ bytes: [UInt8], file: String = "<memory>") throws -> SafeTensors {
        guard bytes.count >= 8 else {
            throw SafeTensorsError.truncated(file: file, reason: "\(bytes.count) bytes, need at least 8 for the header length")
        }
        let n = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard n <= 100_000_000 else { throw SafeTensorsError.headerTooLarge(file: file, length: n) }
        guard n <= UInt64(bytes.count - 8) else {
            throw SafeTensorsError.truncated(file: file, reason: "header length \(n) exceeds the \(bytes.count - 8) bytes after it")
        }
        let headerEnd = 8 + Int(n)
        let headerBytes = bytes[8..<headerEnd]
        guard headerBytes.first == UInt8(ascii: "{") else {
            throw SafeTensorsError.invalidHeader(file: file, reason: "does not start with '{'")
        }
        guard let json = try? JSONSerialization.jsonObject(with: Data(headerBytes)),
              let object = json as? [String: Any] else {
            throw SafeTensorsError.invalidHeader(file: file, reason: "not a JSON object")
        }
        var metadata: [String: String] = [:]
        var entries: [(name: String, dtype: DType, shape: [Int], begin: Int, end: Int)] = []
        for (name, value) in object {
            if name == "__metadata__" {
                guard let m = value as? [String: Any] else {
                    throw SafeTensorsError.invalidHeader(file: file, reason: "__metadata__ is not an object")
                }
                for (k, v) in m {
                    guard let s = v as? String else {
                        throw SafeTensorsError.invalidHeader(file: file, reason: "__metadata__ value for '\(k)' is not a string")
                    }
                    metadata[k] = s
                }
                continue
            }
            guard let info = value as? [String: Any] else {
                throw SafeTensorsError.invalidEntry(file: file, name: name, reason: "entry is not an object")
            }
            guard let ds = info["dtype"] as? String, let dtype = DType(rawValue: ds) else {
                throw SafeTensorsError.invalidEntry(file: file, name: name, reason: "missing or unsupported dtype \(String(describing: info["dtype"]))")
            }
            guard let shape = integers(info["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
                throw SafeTensorsError.invalidEntry(file: file, name: name, reason: "shape must be an array of non-negative integers")
            }
            guard let offsets = integers(info["data_offsets"]), offsets.count == 2,
                  offsets[0] >= 0, offsets[1] >= offsets[0] else {
                throw SafeTensorsError.invalidEntry(file: file, name: name, reason: "data_offsets must be [begin, end] with 0 ≤ begin ≤ end")
            }
            var count = 1
            for d in shape {
                let (p, overflow) = count.multipliedReportingOverflow(by: d)
                guard !overflow else { throw SafeTensorsError.invalidEntry(file: file, name: name, reason: "shape \(shape) overflows") }
                count = p
            }
            let (expected, overflow) = count.multipliedReportingOverflow(by: dtype.size)
            guard !overflow, expected == offsets[1] - offsets[0] else {
                throw SafeTensorsError.invalidEntry(file: file, name: name,
                    reason: "\(dtype.rawValue) \(shape) needs \(count) × \(dtype.size) bytes but data_offsets span \(offsets[1] - offsets[0])")
            }
            entries.append((name, dtype, shape, offsets[0], offsets[1]))
        }
        let bufferSize = bytes.count - headerEnd
        var cursor = 0
        for e in entries.sorted(by: { ($0.begin, $0.end) < ($1.begin, $1.end) }) {
            guard e.begin == cursor else {
                throw SafeTensorsError.invalidLayout(file: file,
                    reason: e.begin > cursor ? "gap before '\(e.name)' at byte \(cursor)" : "'\(e.name)' overlaps the previous tensor at byte \(e.begin)")
            }
            cursor = e.end
        }
        guard cursor == bufferSize else {
            throw SafeTensorsError.invalidLayout(file: file,
                reason: "tensors end at byte \(cursor) but the data buffer has \(bufferSize) bytes")
        }
        var tensors: [String: Entry] = [:]
        for e in entries {
            tensors[e.name] = Entry(dtype: e.dtype, shape: e.shape,
                                    bytes: Array(bytes[(headerEnd + e.begin)..<(headerEnd + e.end)]))
        }
        return SafeTensors(tensors: tensors, metadata: metadata)
    }

    /// The integers of a JSON array (nil if it is not an array of integers).
    static func integers(_ value: Any?) -> [Int]? {
        guard let array = value as? [Any] else { return nil }
        var out: [Int] = []
        for v in array {
            guard let num = v as? NSNumber, let i = Int(exactly: num.doubleValue) else { return nil }
            out.append(i)
        }
        return out
    }

    /// A JSON string literal with the escapes RFC 8259 requires.
    static func jsonString(_ s: String) -> String {
        var out = "\""
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
        return out + "\""
    }
}
