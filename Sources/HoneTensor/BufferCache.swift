import HoneKernels
import Synchronization

/// Recycles large tensor buffers. Training repeats the same shapes every step; returning big
/// buffers to the system and asking again costs page faults (the kernel zeroes every fresh page),
/// which measured ~15% of a CNN step. Buffers of at least `minimumBytes` are rounded up to a
/// size class (8 classes per doubling, ≤ 12.5% waste) and kept, up to `capacityBytes` in total,
/// for the next allocation of the same class. Contents of a recycled buffer are unspecified,
/// exactly as for a fresh uninitialized allocation.
enum BufferCache {
    static let minimumBytes = 128 << 10
    static let capacityBytes = 256 << 20

    private struct State: ~Copyable {
        var free: [Int: [UInt]] = [:]   // addresses (raw pointers are not Sendable)
        var cachedBytes = 0
    }
    private static let state = Mutex(State())

    /// The allocation size used for a request of `bytes`.
    static func sizeClass(_ bytes: Int) -> Int {
        if bytes < minimumBytes { return bytes }
        let top = Int.bitWidth - 1 - bytes.leadingZeroBitCount   // floor(log2)
        let step = 1 << (top - 3)
        return (bytes + step - 1) / step * step
    }

    static func allocate(bytes: Int) -> UnsafeMutableRawPointer {
        let size = sizeClass(bytes)
        if size >= minimumBytes {
            let reused: UInt? = state.withLock { s in
                guard let p = s.free[size]?.popLast() else { return nil }
                s.cachedBytes -= size
                return p
            }
            if let reused, let p = UnsafeMutableRawPointer(bitPattern: reused) { return p }
        }
        // hone_alloc: 64-byte aligned; from 2 MiB up, transparent huge pages (as NumPy's arrays).
        guard let p = hone_alloc(Int64(size)) else { fatalError("Tensor: out of memory allocating \(size) bytes") }
        return p
    }

    static func release(_ p: UnsafeMutableRawPointer, bytes: Int) {
        let size = sizeClass(bytes)
        if size >= minimumBytes {
            let address = UInt(bitPattern: p)
            let kept = state.withLock { s -> Bool in
                guard s.cachedBytes + size <= capacityBytes else { return false }
                s.free[size, default: []].append(address)
                s.cachedBytes += size
                return true
            }
            if kept { return }
        }
        hone_free(p)
    }
}
