/// A Float32 n-dimensional array with value semantics.
///
/// A `Tensor` is a view (`shape`, `strides`, `offset`) onto a shared, reference-counted buffer.
/// Views such as `reshaped`, `transposed`, `permuted`, slices and `expanded` share the buffer
/// without copying; any mutation copies first if the buffer is shared (copy-on-write), so a
/// tensor never changes because another one was modified.
///
/// A tensor may take part in reverse-mode automatic differentiation: mark a leaf with
/// `requiringGrad()` (or `requiresGrad = true`), compute a scalar loss with tensor ops, call
/// `loss.backward()`, and read `leaf.grad`.
///
/// ```swift
/// let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
/// let w = Tensor.ones([3]).requiringGrad()
/// let loss = (x * w).sum()
/// loss.backward()
/// print(w.grad!.scalars)   // [5.0, 7.0, 9.0]
/// ```
public struct Tensor: Sendable {
    var storage: TensorStorage
    /// The size of each dimension; `[]` for a scalar (0-d) tensor.
    public internal(set) var shape: [Int]
    /// Element step of each dimension in the buffer (0 for broadcast dimensions).
    public internal(set) var strides: [Int]
    /// Index of the first element in the buffer.
    var offset: Int
    /// Autodiff bookkeeping: nil when the tensor is not tracked.
    var node: AutogradNode?


    init(storage: TensorStorage, shape: [Int], strides: [Int], offset: Int, node: AutogradNode? = nil) {
        self.storage = storage
        self.shape = shape
        self.strides = strides
        self.offset = offset
        self.node = node
    }

    /// A contiguous tensor owning a fresh, uninitialized buffer (internal: callers fill it).

    init(uninitializedShape shape: [Int]) {
        let n = Shape.count(shape)
        self.init(storage: TensorStorage(uninitializedCount: n), shape: shape,
                  strides: Shape.contiguousStrides(shape), offset: 0)
    }

    /// Creates a tensor of the given shape from row-major `scalars`.
    ///
    /// ```swift
    /// let m = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
    /// ```
    public init(shape: [Int], scalars: [Float]) {
        Shape.validate(shape, op: "Tensor(shape:scalars:)")
        let n = Shape.count(shape)
        check(n == scalars.count,
                     "Tensor(shape:scalars:): shape \(shape) needs \(n) scalars, got \(scalars.count)")
        self.init(uninitializedShape: shape)
        scalars.withUnsafeBufferPointer { src in
            if n > 0 { storage.pointer.update(from: src.baseAddress!, count: n) }
        }
    }

    /// Creates a 0-d (scalar) tensor.
    ///
    /// ```swift
    /// let s = Tensor(2.5)   // shape []
    /// ```
    public init(_ scalar: Float) {
        self.init(storage: TensorStorage(count: 1, repeating: scalar), shape: [], strides: [], offset: 0)
    }

    /// Creates a 1-d tensor from `scalars`.
    ///
    /// ```swift
    /// let v = Tensor([1, 2, 3])   // shape [3]
    /// ```
    public init(_ scalars: [Float]) {
        self.init(shape: [scalars.count], scalars: scalars)
    }

    /// Number of dimensions.
    public var rank: Int { shape.count }

    /// Number of elements.
    public var count: Int { Shape.count(shape) }

    /// True when the elements are laid out densely in row-major order (no copy needed to get a
    /// flat buffer).
    public var isContiguous: Bool { Shape.isContiguous(shape: shape, strides: strides) }

    /// The elements in row-major order (a copy).
    ///
    /// ```swift
    /// Tensor.arange(3).scalars   // [0, 1, 2]
    /// ```
    public var scalars: [Float] {
        let c = contiguousData()
        let n = count
        return Array(UnsafeBufferPointer(start: c.storage.pointer + c.offset, count: n))
    }

    /// The single element of a tensor with exactly one element.
    ///
    /// ```swift
    /// let total = Tensor([1, 2]).sum().scalar   // 3
    /// ```
    public var scalar: Float {
        check(count == 1, "scalar: tensor of shape \(shape) has \(count) elements, expected 1")
        return storage.pointer[offset]
    }

    /// The element at a full multi-dimensional index.
    ///
    /// ```swift
    /// Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]).element(at: [1, 0])   // 3
    /// ```
    public func element(at index: [Int]) -> Float {
        check(index.count == rank, "element(at:): index \(index) does not match shape \(shape)")
        var o = offset
        for d in 0..<rank {
            check(index[d] >= 0 && index[d] < shape[d], "element(at:): index \(index) out of bounds for shape \(shape)")
            o += index[d] * strides[d]
        }
        return storage.pointer[o]
    }

    /// Calls `body` with the elements in row-major order. No copy when the tensor is contiguous.
    ///
    /// ```swift
    /// let s = t.withUnsafeBufferPointer { $0.reduce(0, +) }
    /// ```
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        let c = contiguousData()
        return try withExtendedLifetime(c) {
            try body(UnsafeBufferPointer(start: c.storage.pointer + c.offset, count: c.count))
        }
    }

    /// Calls `body` with a mutable row-major buffer of the elements. The tensor first gets a
    /// unique, contiguous buffer of its own (copy-on-write), so no other tensor sees the change.
    /// Autodiff identity (`requiresGrad`, accumulated `grad`) is kept: this is how optimizers
    /// update parameters in place. The mutation itself is not recorded for autodiff.
    ///
    /// ```swift
    /// w.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] *= 0.5 } }
    /// ```
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        makeUniqueContiguous()
        return try body(UnsafeMutableBufferPointer(start: storage.pointer + offset, count: count))
    }

    /// Ensures this tensor owns a dense row-major buffer no other tensor shares.
    mutating func makeUniqueContiguous() {
        if isKnownUniquelyReferenced(&storage) && isContiguous && storage.count == count { return }
        let c = Tensor.materialize(self)
        storage = c.storage
        strides = c.strides
        offset = 0
    }

    /// A contiguous tensor with the same values (this tensor itself when already contiguous);
    /// not recorded for autodiff. Internal building block for kernels.
    func contiguousData() -> Tensor {
        if isContiguous { return self }
        return Tensor.materialize(self)
    }

    /// Copies the elements of `t` into a fresh dense buffer (no autodiff).
    static func materialize(_ t: Tensor) -> Tensor {
        var out = Tensor(uninitializedShape: t.shape)
        if t.isContiguous {
            if t.count > 0 { out.storage.pointer.update(from: t.storage.pointer + t.offset, count: t.count) }
        } else {
            StridedCopy.copy(from: t, to: out.storage.pointer)
        }
        out.node = nil
        return out
    }
}

extension Tensor: CustomStringConvertible {
    /// A short description: shape and up to 8 leading elements.
    public var description: String {
        let s = scalars
        let shown = s.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(shown)\(s.count > 8 ? ", …" : "")])"
    }
}
