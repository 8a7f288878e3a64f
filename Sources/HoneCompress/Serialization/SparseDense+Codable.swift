import HoneNN

extension SparseDense: CompressedLayerCodable {
    public static var kind: String { "sparseDense" }

    public var settings: [String: Int] {
        ["inputSize": inputSize, "outputSize": outputSize, "bias": bias.isEmpty ? 0 : 1, "fusedReLU": fusedReLU ? 1 : 0]
    }

    /// CSR arrays: values F32, column indices U16 when the input has ≤ 65,536 features (else
    /// I32), row pointers I32, and the bias. A 90%-sparse layer takes ~15% of the dense bytes.
    public var tensors: [String: SafeTensors.Entry] {
        var t: [String: SafeTensors.Entry] = [
            "values": .init(dtype: .F32, shape: [weight.nonZeroCount], bytes: Bytes.f32(weight.values)),
            "row_pointers": .init(dtype: .I32, shape: [weight.rows + 1], bytes: Bytes.i32(weight.rowPointers)),
        ]
        if inputSize <= 65_536 {
            t["column_indices"] = .init(dtype: .U16, shape: [weight.nonZeroCount], bytes: Bytes.u16(weight.columnIndices))
        } else {
            t["column_indices"] = .init(dtype: .I32, shape: [weight.nonZeroCount], bytes: Bytes.i32(weight.columnIndices))
        }
        if !bias.isEmpty { t["bias"] = .init(dtype: .F32, shape: [bias.count], bytes: Bytes.f32(bias)) }
        return t
    }

    public static func decode(settings: [String: Int], tensors: [String: SafeTensors.Entry], path: String) throws -> SparseDense {
        func bad(_ reason: String) -> CompressionError { .badModelFile(path: path, reason: reason) }
        guard let inputs = settings["inputSize"], let outputs = settings["outputSize"], inputs > 0, outputs > 0 else {
            throw bad("sparseDense needs positive inputSize and outputSize")
        }
        guard let v = tensors["values"], v.dtype == .F32, let rp = tensors["row_pointers"], rp.dtype == .I32,
              let ci = tensors["column_indices"], ci.dtype == .U16 || ci.dtype == .I32 else {
            throw bad("sparseDense needs values (F32), row_pointers (I32) and column_indices (U16 or I32)")
        }
        let values = Bytes.readF32(v.bytes), pointers = Bytes.readI32(rp.bytes)
        let indices = ci.dtype == .U16 ? Bytes.readU16(ci.bytes) : Bytes.readI32(ci.bytes)
        guard pointers.count == outputs + 1, pointers.first == 0, Int(pointers.last!) == values.count,
              indices.count == values.count, zip(pointers, pointers.dropFirst()).allSatisfy({ $0 <= $1 }),
              indices.allSatisfy({ $0 >= 0 && Int($0) < inputs }) else {
            throw bad("sparseDense CSR arrays are inconsistent with \(outputs)×\(inputs)")
        }
        var bias: [Float]? = nil
        if settings["bias"] == 1 {
            guard let b = tensors["bias"], b.dtype == .F32, b.shape == [outputs] else { throw bad("sparseDense bias [\(outputs)] missing") }
            bias = Bytes.readF32(b.bytes)
        }
        let m = CSRMatrix(rows: outputs, columns: inputs, rowPointers: pointers, columnIndices: indices, values: values)
        return SparseDense(weight: m, bias: bias, fusedReLU: settings["fusedReLU"] == 1)
    }
}

/// Little-endian packing helpers for safetensors entries.
enum Bytes {
    static func f32(_ v: [Float]) -> [UInt8] { v.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian) { Array($0) } } }
    static func i32(_ v: [Int32]) -> [UInt8] { v.flatMap { withUnsafeBytes(of: $0.littleEndian) { Array($0) } } }
    static func u16(_ v: [Int32]) -> [UInt8] { v.flatMap { withUnsafeBytes(of: UInt16($0).littleEndian) { Array($0) } } }
    static func readF32(_ b: [UInt8]) -> [Float] {
        stride(from: 0, to: b.count - 3, by: 4).map {
            Float(bitPattern: UInt32(b[$0]) | UInt32(b[$0 + 1]) << 8 | UInt32(b[$0 + 2]) << 16 | UInt32(b[$0 + 3]) << 24)
        }
    }
    static func readI32(_ b: [UInt8]) -> [Int32] {
        stride(from: 0, to: b.count - 3, by: 4).map {
            Int32(bitPattern: UInt32(b[$0]) | UInt32(b[$0 + 1]) << 8 | UInt32(b[$0 + 2]) << 16 | UInt32(b[$0 + 3]) << 24)
        }
    }
    static func readU16(_ b: [UInt8]) -> [Int32] {
        stride(from: 0, to: b.count - 1, by: 2).map { Int32(UInt16(b[$0]) | UInt16(b[$0 + 1]) << 8) }
    }
}
