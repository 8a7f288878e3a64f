/// The element types of the IDX format (LeCun's MNIST page): the third magic byte.
public enum IDXElementType: UInt8, Sendable, CaseIterable {
    case uint8 = 0x08, int8 = 0x09, int16 = 0x0B, int32 = 0x0C, float32 = 0x0D, float64 = 0x0E

    /// Bytes per element in the file.
    public var byteWidth: Int {
        switch self {
        case .uint8, .int8: 1
        case .int16: 2
        case .int32, .float32: 4
        case .float64: 8
        }
    }

    /// True for the integer types (the ones labels may use).
    public var isInteger: Bool { self != .float32 && self != .float64 }
}

/// An n-dimensional array read from (or to be written to) an IDX file, in its own element type.
///
/// ```swift
/// let images = try IDXFile.read(path: "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz")
/// images.shape          // [10000, 28, 28]
/// let pixels = images.floats(dividingBy: 255)   // 7,840,000 values in [0, 1]
/// ```
public struct IDXArray: Sendable, Equatable {
    /// The values, kept in the file's element type so nothing is lost or widened needlessly.
    public enum Storage: Sendable, Equatable {
        case uint8([UInt8]), int8([Int8]), int16([Int16]), int32([Int32]), float32([Float]), float64([Double])
    }

    public let shape: [Int]
    public let storage: Storage

    /// Wraps `storage` with `shape`; the element count must equal the product of `shape`.
    public init(shape: [Int], storage: Storage) {
        let expected = shape.reduce(1, *)
        let actual: Int
        switch storage {
        case .uint8(let v): actual = v.count
        case .int8(let v): actual = v.count
        case .int16(let v): actual = v.count
        case .int32(let v): actual = v.count
        case .float32(let v): actual = v.count
        case .float64(let v): actual = v.count
        }
        precondition(actual == expected, "IDXArray.init: shape \(shape) needs \(expected) values, got \(actual)")
        self.shape = shape
        self.storage = storage
    }

    public var elementType: IDXElementType {
        switch storage {
        case .uint8: .uint8
        case .int8: .int8
        case .int16: .int16
        case .int32: .int32
        case .float32: .float32
        case .float64: .float64
        }
    }

    /// Number of elements (the product of `shape`).
    public var count: Int { shape.reduce(1, *) }

    /// Every value converted to `Float` and divided by `divisor` (255 maps `uint8` pixels to
    /// [0, 1] exactly as `torchvision.transforms.ToTensor` does).
    public func floats(dividingBy divisor: Float = 1) -> [Float] {
        switch storage {
        case .uint8(let v):
            let table = (0...255).map { Float($0) / divisor }
            return v.map { table[Int($0)] }
        case .int8(let v): return v.map { Float($0) / divisor }
        case .int16(let v): return v.map { Float($0) / divisor }
        case .int32(let v): return v.map { Float($0) / divisor }
        case .float32(let v): return divisor == 1 ? v : v.map { $0 / divisor }
        case .float64(let v): return v.map { Float($0 / Double(divisor)) }
        }
    }

    /// The values as `Int32` when the element type is an integer type, else nil.
    public func integers() -> [Int32]? {
        switch storage {
        case .uint8(let v): v.map { Int32($0) }
        case .int8(let v): v.map { Int32($0) }
        case .int16(let v): v.map { Int32($0) }
        case .int32(let v): v
        case .float32, .float64: nil
        }
    }
}
