/// Reads and writes IDX files (LeCun's MNIST format; FIELD-GUIDE §8.2), raw or gzip-compressed.
///
/// Layout: magic `00 00 TT DD` (TT the element type, DD the number of dimensions), DD big-endian
/// `UInt32` dimensions, then the values in C order, big-endian. Every header field is checked
/// against the bytes actually present, so a damaged file gives a `DataError`, never a crash or a
/// huge allocation.
///
/// ```swift
/// let labels = try IDXFile.read(path: "train-labels-idx1-ubyte.gz")   // shape [60000], uint8
/// let bytes = IDXFile.encode(labels)                                   // back to raw IDX
/// ```
public enum IDXFile {
    /// Reads the file at `path`, gunzipping it first when it starts with the gzip magic.
    public static func read(path: String) throws(DataError) -> IDXArray {
        try parse(try FileBytes.readMaybeGzip(path: path), file: path)
    }

    /// Parses raw (already decompressed) IDX bytes; `file` names the source in errors.
    public static func parse(_ bytes: [UInt8], file: String) throws(DataError) -> IDXArray {
        guard bytes.count >= 4 else {
            throw DataError(.sizeMismatch, file: file, "IDX file is \(bytes.count) bytes, too short for the 4-byte magic number")
        }
        guard bytes[0] == 0, bytes[1] == 0 else {
            throw DataError(.badMagic, file: file,
                            "wrong IDX magic \(hex(bytes[0..<4])): expected 00 00 <type> <dimensions>")
        }
        guard let type = IDXElementType(rawValue: bytes[2]) else {
            throw DataError(.badMagic, file: file,
                            "wrong IDX magic \(hex(bytes[0..<4])): type byte 0x\(hex(bytes[2...2])) is not one of 08 (u8), 09 (i8), 0B (i16), 0C (i32), 0D (f32), 0E (f64)")
        }
        let rank = Int(bytes[3])
        guard rank >= 1 else {
            throw DataError(.badMagic, file: file, "IDX magic \(hex(bytes[0..<4])) declares 0 dimensions; expected at least 1")
        }
        let headerSize = 4 + 4 * rank
        guard bytes.count >= headerSize else {
            throw DataError(.sizeMismatch, file: file,
                            "IDX header declares \(rank) dimensions (\(headerSize) header bytes) but the file has only \(bytes.count) bytes")
        }
        var shape: [Int] = []
        var elements = 1
        var overflow = false
        for d in 0..<rank {
            let o = 4 + 4 * d
            let dim = Int(bytes[o]) << 24 | Int(bytes[o + 1]) << 16 | Int(bytes[o + 2]) << 8 | Int(bytes[o + 3])
            shape.append(dim)
            let (product, o1) = elements.multipliedReportingOverflow(by: dim)
            elements = product
            overflow = overflow || o1
        }
        let (dataBytes, o2) = elements.multipliedReportingOverflow(by: type.byteWidth)
        let available = bytes.count - headerSize
        if overflow || o2 || dataBytes > available {
            throw DataError(.sizeMismatch, file: file,
                            "IDX file is truncated or its header is wrong: dimensions \(shape) of \(type) need \(overflow || o2 ? "more than Int.max" : String(dataBytes)) data bytes, the file has \(available)")
        }
        if dataBytes < available {
            throw DataError(.sizeMismatch, file: file,
                            "IDX file has \(available - dataBytes) bytes after the \(dataBytes) data bytes its header \(shape) of \(type) describes")
        }
        return IDXArray(shape: shape, storage: decode(bytes, from: headerSize, count: elements, type: type))
    }

    /// The raw IDX bytes of `array` (uncompressed).
    public static func encode(_ array: IDXArray) -> [UInt8] {
        precondition(array.shape.count <= 255 && array.shape.allSatisfy { $0 >= 0 && $0 <= Int(UInt32.max) },
                     "IDXFile.encode: shape \(array.shape) cannot be written as IDX")
        var out: [UInt8] = [0, 0, array.elementType.rawValue, UInt8(array.shape.count)]
        out.reserveCapacity(4 + 4 * array.shape.count + array.count * array.elementType.byteWidth)
        for d in array.shape { appendBigEndian(UInt32(d), to: &out) }
        switch array.storage {
        case .uint8(let v): out.append(contentsOf: v)
        case .int8(let v): for x in v { out.append(UInt8(bitPattern: x)) }
        case .int16(let v): for x in v { appendBigEndian(UInt16(bitPattern: x), to: &out) }
        case .int32(let v): for x in v { appendBigEndian(UInt32(bitPattern: x), to: &out) }
        case .float32(let v): for x in v { appendBigEndian(x.bitPattern, to: &out) }
        case .float64(let v): for x in v { appendBigEndian(x.bitPattern, to: &out) }
        }
        return out
    }

    private static func appendBigEndian<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        var v = value.bigEndian
        withUnsafeBytes(of: &v) { out.append(contentsOf: $0) }
    }

    private static func decode(_ b: [UInt8], from start: Int, count n: Int, type: IDXElementType) -> IDXArray.Storage {
        switch type {
        case .uint8: return .uint8(Array(b[start..<(start + n)]))
        case .int8: return .int8(b[start..<(start + n)].map { Int8(bitPattern: $0) })
        case .int16: return .int16(readBigEndian(b, start, n, as: UInt16.self).map { Int16(bitPattern: $0) })
        case .int32: return .int32(readBigEndian(b, start, n, as: UInt32.self).map { Int32(bitPattern: $0) })
        case .float32: return .float32(readBigEndian(b, start, n, as: UInt32.self).map { Float(bitPattern: $0) })
        case .float64: return .float64(readBigEndian(b, start, n, as: UInt64.self).map { Double(bitPattern: $0) })
        }
    }

    private static func readBigEndian<T: FixedWidthInteger>(_ b: [UInt8], _ start: Int, _ n: Int, as: T.Type) -> [T] {
        let width = MemoryLayout<T>.size
        return [T](unsafeUninitializedCapacity: n) { out, initialized in
            b.withUnsafeBytes { raw in
                for i in 0..<n {
                    out[i] = T(bigEndian: raw.loadUnaligned(fromByteOffset: start + i * width, as: T.self))
                }
            }
            initialized = n
        }
    }

    private static func hex(_ s: ArraySlice<UInt8>) -> String {
        s.map { String($0, radix: 16, uppercase: true).leftPadded(to: 2) }.joined(separator: " ")
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
