/// What can be wrong with a safetensors or model file; every case names the file (its path, or
/// `"<memory>"` for bytes not read from disk).
///
/// ```swift
/// do { _ = try SafeTensors.read(from: url) } catch let e as SafeTensorsError { print(e) }
/// ```
public enum SafeTensorsError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened, read or written.
    case io(file: String, reason: String)
    /// Fewer than 8 bytes, or the header length N points past the end of the file.
    case truncated(file: String, reason: String)
    /// N is larger than the 100 MB the format allows.
    case headerTooLarge(file: String, length: UInt64)
    /// The header is not a UTF-8 JSON object of the expected form.
    case invalidHeader(file: String, reason: String)
    /// An entry has an unknown dtype, a bad shape or bad offsets.
    case invalidEntry(file: String, name: String, reason: String)
    /// The entries do not tile the data buffer from 0 to its end without gaps or overlaps.
    case invalidLayout(file: String, reason: String)
    /// A model's tensor is missing, unexpected, of the wrong dtype or shape.
    case mismatch(file: String, name: String, reason: String)
    /// The architecture JSON is missing or describes something Hone cannot build.
    case invalidArchitecture(file: String, reason: String)

    public var description: String {
        switch self {
        case .io(let f, let r): return "\(f): \(r)"
        case .truncated(let f, let r): return "\(f): truncated safetensors file: \(r)"
        case .headerTooLarge(let f, let n): return "\(f): safetensors header length \(n) exceeds the 100000000-byte limit"
        case .invalidHeader(let f, let r): return "\(f): invalid safetensors header: \(r)"
        case .invalidEntry(let f, let n, let r): return "\(f): tensor '\(n)': \(r)"
        case .invalidLayout(let f, let r): return "\(f): invalid safetensors data layout: \(r)"
        case .mismatch(let f, let n, let r): return "\(f): tensor '\(n)': \(r)"
        case .invalidArchitecture(let f, let r): return "\(f): invalid model architecture: \(r)"
        }
    }
}
