/// The reference-counted buffer behind a `Tensor`. Several tensors (views, copies) may share one
/// storage; a mutation first checks `isKnownUniquelyReferenced` and copies when it is shared
/// (copy-on-write), so every `Tensor` behaves as an independent value.
///
/// Memory is 64-byte aligned so SIMD kernels can use aligned loads on contiguous data; buffers
/// of 2 MiB and more get transparent huge pages (`hone_alloc`); large buffers are recycled
/// through `BufferCache`.

final class TensorStorage: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    /// Allocates `count` floats, uninitialized (Float is trivial, so this is only unspecified values).
    init(uninitializedCount count: Int) {
        self.count = count
        let raw = BufferCache.allocate(bytes: count * MemoryLayout<Float>.stride)
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    /// Allocates `count` floats set to `value`.
    convenience init(count: Int, repeating value: Float) {
        self.init(uninitializedCount: count)
        pointer.update(repeating: value, count: count)
    }

    /// Allocates a copy of `count` floats starting at `source`.
    convenience init(copying source: UnsafePointer<Float>, count: Int) {
        self.init(uninitializedCount: count)
        pointer.update(from: source, count: count)
    }

    deinit { BufferCache.release(UnsafeMutableRawPointer(pointer), bytes: count * MemoryLayout<Float>.stride) }
}
