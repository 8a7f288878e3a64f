#if MPI
import CMPI
import Foundation

/// Open MPI's `MPI_COMM_WORLD` as a ``Communicator`` (package trait `MPI`; build with
/// `swift build --traits MPI`, run with `mpirun -np N …`).
///
/// `MPI_Init_thread` with `MPI_THREAD_FUNNELED` is called once, on first use; call every
/// operation from the thread that created the communicator. `MPI_Finalize` runs at exit.
/// Buffers longer than `Int32.max` are sent in pieces.
///
/// ```swift
/// let comm = MPICommunicator.world()
/// print("rank \(comm.rank) of \(comm.size)")
/// ```
public final class MPICommunicator: Communicator {
    public let rank: Int
    public let size: Int
    private let comm: MPI_Comm

    nonisolated(unsafe) private static var shared: MPICommunicator?
    private static let lock = NSLock()

    /// The world communicator (initializing MPI on first call).
    public static func world() -> MPICommunicator {
        lock.lock(); defer { lock.unlock() }
        if let shared { return shared }
        var provided: Int32 = 0
        var initialized: Int32 = 0
        MPI_Initialized(&initialized)
        if initialized == 0 {
            MPI_Init_thread(nil, nil, hone_mpi_thread_funneled(), &provided)
            atexit {
                var finalized: Int32 = 0
                MPI_Finalized(&finalized)
                if finalized == 0 { MPI_Finalize() }
            }
        }
        let c = MPICommunicator(comm: hone_mpi_comm_world())
        shared = c
        return c
    }

    /// True when this process was started by `mpirun`/`mpiexec` (Open MPI's environment).
    public static var launchedByMPI: Bool {
        ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_SIZE"] != nil
            || ProcessInfo.processInfo.environment["PMI_SIZE"] != nil
    }

    private init(comm: MPI_Comm) {
        self.comm = comm
        var r: Int32 = 0, s: Int32 = 0
        MPI_Comm_rank(comm, &r)
        MPI_Comm_size(comm, &s)
        rank = Int(r); size = Int(s)
    }

    private static func pieces(_ count: Int) -> [(Int, Int32)] {
        let maxPiece = Int(Int32.max)
        return stride(from: 0, to: count, by: maxPiece).map { ($0, Int32(min(maxPiece, count - $0))) }
    }

    public func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) {
        guard size > 1, let base = buffer.baseAddress else { return }
        for (offset, n) in Self.pieces(buffer.count) {
            MPI_Allreduce(hone_mpi_in_place(), base + offset, n, hone_mpi_float(), hone_mpi_sum(), comm)
        }
    }

    public func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) {
        guard size > 1, let base = buffer.baseAddress else { return }
        for (offset, n) in Self.pieces(buffer.count) {
            MPI_Allreduce(hone_mpi_in_place(), base + offset, n, hone_mpi_double(), hone_mpi_sum(), comm)
        }
    }

    /// `MPI_Iallreduce`: the reduction progresses while the caller packs the next bucket.
    public func startAllreduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) -> PendingCollective {
        guard size > 1, let base = buffer.baseAddress else { return CompletedCollective() }
        var requests: [MPI_Request?] = []
        for (offset, n) in Self.pieces(buffer.count) {
            var request: MPI_Request? = hone_mpi_request_null()
            MPI_Iallreduce(hone_mpi_in_place(), base + offset, n, hone_mpi_float(), hone_mpi_sum(), comm, &request)
            requests.append(request)
        }
        return MPIRequests(requests)
    }

    public func broadcast(_ buffer: UnsafeMutableBufferPointer<Float>, root: Int) {
        guard size > 1, let base = buffer.baseAddress else { return }
        for (offset, n) in Self.pieces(buffer.count) {
            MPI_Bcast(base + offset, n, hone_mpi_float(), Int32(root), comm)
        }
    }

    public func barrier() { MPI_Barrier(comm) }

    public func send(_ buffer: UnsafeBufferPointer<Float>, to: Int, tag: Int) {
        guard let base = buffer.baseAddress else { return }
        for (offset, n) in Self.pieces(buffer.count) {
            MPI_Send(base + offset, n, hone_mpi_float(), Int32(to), Int32(tag), comm)
        }
    }

    public func receive(_ buffer: UnsafeMutableBufferPointer<Float>, from: Int, tag: Int) {
        guard let base = buffer.baseAddress else { return }
        for (offset, n) in Self.pieces(buffer.count) {
            MPI_Recv(base + offset, n, hone_mpi_float(), Int32(from), Int32(tag), comm, hone_mpi_status_ignore())
        }
    }
}

/// Outstanding MPI requests of one started collective.
final class MPIRequests: PendingCollective {
    private var requests: [MPI_Request?]
    init(_ requests: [MPI_Request?]) { self.requests = requests }
    func wait() {
        for i in requests.indices { MPI_Wait(&requests[i], hone_mpi_status_ignore()) }
    }
    /// `MPI_Test` on each outstanding request: drives Open MPI's progress engine (a
    /// completed request becomes `MPI_REQUEST_NULL`, for which `MPI_Wait` returns at once).
    func progress() {
        var flag: Int32 = 0
        for i in requests.indices { MPI_Test(&requests[i], &flag, hone_mpi_status_ignore()) }
    }
}
#endif
