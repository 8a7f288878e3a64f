/// The collective operations that data- and pipeline-parallel training need, over `size`
/// processes (or threads) numbered `0..<size`. Two implementations: ``InProcessGroup`` (threads
/// of one process sharing memory; no MPI needed, used by the default tests) and
/// `MPICommunicator` (Open MPI, with the package trait `MPI`).
///
/// Every rank must call the collectives (`allreduceSum`, `broadcast`, `barrier`) in the same
/// order with buffers of the same length; `send`/`receive` pair up by source, destination and
/// tag. Results of `allreduceSum` are identical on every rank.
///
/// ```swift
/// var grads: [Float] = …
/// grads.withUnsafeMutableBufferPointer { comm.allreduceSum($0) }   // Σ over ranks, on every rank
/// ```
public protocol Communicator: AnyObject {
    /// This process's index, `0..<size`.
    var rank: Int { get }
    /// Number of processes.
    var size: Int { get }
    /// Replaces `buffer` on every rank with the element-wise sum over all ranks.
    func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Float>)
    /// Double-precision form (loss sums and counts).
    func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Double>)
    /// Starts an all-reduce that may run while the caller does other work; `wait()` on the
    /// result finishes it. The buffer must stay valid and untouched until then.
    func startAllreduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) -> PendingCollective
    /// Copies `root`'s buffer into every other rank's.
    func broadcast(_ buffer: UnsafeMutableBufferPointer<Float>, root: Int)
    /// Returns once every rank has called it.
    func barrier()
    /// Sends `buffer` to rank `to`; returns when the buffer may be reused.
    func send(_ buffer: UnsafeBufferPointer<Float>, to: Int, tag: Int)
    /// Receives exactly `buffer.count` values sent by rank `from` with `tag`.
    func receive(_ buffer: UnsafeMutableBufferPointer<Float>, from: Int, tag: Int)
}

/// A collective started with ``Communicator/startAllreduceSum(_:)``.
public protocol PendingCollective {
    /// Blocks until the operation is complete.
    func wait()
    /// Lets the operation advance without blocking (MPI progresses non-blocking collectives
    /// only inside MPI calls); called while backward runs. Default: nothing.
    func progress()
}

extension PendingCollective {
    public func progress() {}
}

/// A collective that was already complete when it was returned.
public struct CompletedCollective: PendingCollective {
    public init() {}
    public func wait() {}
}

extension Communicator {
    /// Default: runs the all-reduce at once (no overlap).
    public func startAllreduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) -> PendingCollective {
        allreduceSum(buffer)
        return CompletedCollective()
    }

    /// Sums an array of doubles over ranks.
    public func allreduceSum(_ values: [Double]) -> [Double] {
        var v = values
        v.withUnsafeMutableBufferPointer { allreduceSum($0) }
        return v
    }
}
