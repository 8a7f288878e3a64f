/// Per-parameter optimizer state (moments, accumulators): one zero-initialized, 64-byte
/// aligned Float array per parameter, addressed by raw pointer from the hot loops.
///
/// ```swift
/// let m = StateBuffer(counts: [784 * 256, 256])
/// m.pointer(0)[0] = 1
/// ```
public final class StateBuffer: @unchecked Sendable {
    private let pointers: [UnsafeMutablePointer<Float>]
    /// Element count of each parameter's array.
    public let counts: [Int]

    public init(counts: [Int], initialValue: Float = 0) {
        self.counts = counts
        pointers = counts.map { n in
            let raw = UnsafeMutableRawPointer.allocate(byteCount: max(n, 1) * MemoryLayout<Float>.stride, alignment: 64)
            let p = raw.bindMemory(to: Float.self, capacity: max(n, 1))
            p.initialize(repeating: initialValue, count: n)
            return p
        }
    }

    public convenience init(_ parameters: [ParameterInfo], initialValue: Float = 0) {
        self.init(counts: parameters.map(\.count), initialValue: initialValue)
    }

    /// The array of parameter `index` (valid while this buffer lives).
    public func pointer(_ index: Int) -> UnsafeMutablePointer<Float> { pointers[index] }

    /// The state of chunk `c` (same offset into the array as into the parameter).
    public func pointer(for c: UpdateChunk) -> UnsafeMutablePointer<Float> { pointers[c.parameter] + c.offset }

    /// A copy of parameter `index`'s array (for checkpoints and tests).
    public func values(_ index: Int) -> [Float] { Array(UnsafeBufferPointer(start: pointers[index], count: counts[index])) }

    deinit { for p in pointers { UnsafeMutableRawPointer(p).deallocate() } }
}
