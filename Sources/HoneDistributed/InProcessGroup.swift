import Foundation

/// `size` ranks as threads of this process, sharing memory: the communicator the default tests
/// use to check data- and pipeline-parallel numerics without MPI, and a way to use several
/// cores for one model without launching processes.
///
/// All-reduce sums in rank order (0, 1, …) for every element, each rank reducing one slice
/// (a reduce-scatter then an all-gather through shared memory), so every rank gets the same bits.
///
/// ```swift
/// let results = InProcessGroup.run(size: 2) { comm in
///     var x: [Float] = [Float(comm.rank + 1)]
///     x.withUnsafeMutableBufferPointer { comm.allreduceSum($0) }
///     return x[0]                                     // 3 on both ranks
/// }
/// ```
public enum InProcessGroup {
    /// Runs `body` on `size` threads (8 MiB stacks), one per rank, and returns their results
    /// in rank order.
    public static func run<T>(size: Int, _ body: @escaping @Sendable (InProcessCommunicator) throws -> T) rethrows -> [T] {
        precondition(size >= 1, "InProcessGroup.run: size must be at least 1, got \(size)")
        let hub = Hub(size: size)
        let results = ResultSlots<T>(size)
        let group = DispatchGroup()
        for r in 0..<size {
            group.enter()
            let t = Thread {
                let comm = InProcessCommunicator(rank: r, hub: hub)
                results.set(r, Result { try body(comm) })
                group.leave()
            }
            t.stackSize = 8 << 20
            t.name = "hone-rank-\(r)"
            t.start()
        }
        group.wait()
        return try results.all().map { try $0.get() }
    }

    final class ResultSlots<T>: @unchecked Sendable {
        private let lock = NSLock()
        private var slots: [Result<T, any Error>?]
        init(_ n: Int) { slots = Array(repeating: nil, count: n) }
        func set(_ i: Int, _ r: Result<T, any Error>) { lock.lock(); slots[i] = r; lock.unlock() }
        func all() -> [Result<T, any Error>] { lock.lock(); defer { lock.unlock() }; return slots.map { $0! } }
    }

    /// State shared by the ranks of one group.
    final class Hub: @unchecked Sendable {
        let size: Int
        let barrier: Barrier
        var pointers: [UnsafeMutableRawPointer?]
        var scratch: UnsafeMutableRawPointer?
        var scratchBytes = 0
        let lock = NSLock()
        let mail = NSCondition()
        var mailbox: [MailKey: [[Float]]] = [:]

        init(size: Int) {
            self.size = size
            barrier = Barrier(size)
            pointers = Array(repeating: nil, count: size)
        }

        deinit { scratch?.deallocate() }

        /// Makes sure the shared scratch holds `bytes` (called by every rank before a barrier).
        func reserve(_ bytes: Int) {
            lock.lock(); defer { lock.unlock() }
            if scratchBytes < bytes {
                scratch?.deallocate()
                scratch = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
                scratchBytes = bytes
            }
        }
    }

    struct MailKey: Hashable { let from: Int, to: Int, tag: Int }

    /// A reusable barrier (generation counter).
    final class Barrier: @unchecked Sendable {
        private let n: Int
        private var count = 0
        private var generation = 0
        private let cond = NSCondition()
        init(_ n: Int) { self.n = n }
        func wait() {
            cond.lock()
            let g = generation
            count += 1
            if count == n {
                count = 0; generation += 1; cond.broadcast()
            } else {
                while g == generation { cond.wait() }
            }
            cond.unlock()
        }
    }
}

/// One rank of an ``InProcessGroup``.
public final class InProcessCommunicator: Communicator {
    public let rank: Int
    public var size: Int { hub.size }
    private let hub: InProcessGroup.Hub

    init(rank: Int, hub: InProcessGroup.Hub) { self.rank = rank; self.hub = hub }

    private func reduce<T: BinaryFloatingPoint>(_ buffer: UnsafeMutableBufferPointer<T>) {
        let n = buffer.count, size = hub.size
        if size == 1 || n == 0 { return }
        hub.reserve(n * MemoryLayout<T>.stride)
        hub.pointers[rank] = UnsafeMutableRawPointer(buffer.baseAddress!)
        hub.barrier.wait()
        let scratch = hub.scratch!.assumingMemoryBound(to: T.self)
        let sources = hub.pointers.map { $0!.assumingMemoryBound(to: T.self) }
        let lo = rank * n / size, hi = (rank + 1) * n / size
        for i in lo..<hi {
            var s = sources[0][i]
            for r in 1..<size { s += sources[r][i] }
            scratch[i] = s
        }
        hub.barrier.wait()
        buffer.baseAddress!.update(from: scratch, count: n)
        hub.barrier.wait()
    }

    public func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) { reduce(buffer) }
    public func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) { reduce(buffer) }

    public func broadcast(_ buffer: UnsafeMutableBufferPointer<Float>, root: Int) {
        precondition((0..<hub.size).contains(root), "broadcast: root \(root) is not a rank of a group of \(hub.size)")
        if hub.size == 1 || buffer.isEmpty { return }
        hub.pointers[rank] = UnsafeMutableRawPointer(buffer.baseAddress!)
        hub.barrier.wait()
        if rank != root {
            buffer.baseAddress!.update(from: hub.pointers[root]!.assumingMemoryBound(to: Float.self), count: buffer.count)
        }
        hub.barrier.wait()
    }

    public func barrier() { hub.barrier.wait() }

    public func send(_ buffer: UnsafeBufferPointer<Float>, to: Int, tag: Int) {
        precondition((0..<hub.size).contains(to) && to != rank, "send: bad destination \(to) from rank \(rank)")
        hub.mail.lock()
        hub.mailbox[.init(from: rank, to: to, tag: tag), default: []].append(Array(buffer))
        hub.mail.broadcast()
        hub.mail.unlock()
    }

    public func receive(_ buffer: UnsafeMutableBufferPointer<Float>, from: Int, tag: Int) {
        precondition((0..<hub.size).contains(from) && from != rank, "receive: bad source \(from) at rank \(rank)")
        let key = InProcessGroup.MailKey(from: from, to: rank, tag: tag)
        hub.mail.lock()
        while hub.mailbox[key]?.isEmpty ?? true { hub.mail.wait() }
        let message = hub.mailbox[key]!.removeFirst()
        hub.mail.unlock()
        precondition(message.count == buffer.count,
                     "receive: rank \(rank) expected \(buffer.count) values from rank \(from) (tag \(tag)), got \(message.count)")
        _ = buffer.update(fromContentsOf: message)
    }
}
