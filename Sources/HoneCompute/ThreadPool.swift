import HoneKernels
import Synchronization
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One parallel job: `chunks` calls of `body(chunk)`, claimed by whichever thread is free.
/// The body is reached through a raw pointer to the submitter's closure (valid until every
/// chunk is done), so the job never retains it and a late worker cannot extend its life.
private final class PoolJob: @unchecked Sendable {
    let body: UnsafePointer<(Int) -> Void>
    let chunks: Int
    let next = Atomic<Int>(0)
    let done = Atomic<Int>(0)
    init(body: UnsafePointer<(Int) -> Void>, chunks: Int) { self.body = body; self.chunks = chunks }

    /// Claims and runs chunks until none are left.
    func participate() {
        let depth = hone_parallel_depth_get()
        hone_parallel_depth_set(depth + 1)
        while true {
            let c = next.wrappingAdd(1, ordering: .relaxed).oldValue
            if c >= chunks { break }
            body.pointee(c)
            done.wrappingAdd(1, ordering: .releasing)
        }
        hone_parallel_depth_set(depth)
    }
}

/// A persistent pool of worker threads: spin briefly for new work (so back-to-back kernels
/// start in well under a microsecond), then sleep on a condition variable (so idle workers
/// cost nothing). The calling thread always takes part, so `n` chunks need `n − 1` workers.
/// Which thread runs a chunk is not fixed, but the chunk → work mapping is, so results do not
/// depend on scheduling.
final class ThreadPool: @unchecked Sendable {
    static let shared = ThreadPool()

    private let submit = Mutex<Void>(())           // one job at a time
    private let generation = Atomic<Int>(0)
    private var current: PoolJob?                  // guarded by `mutex`
    private var workerCount = 0                    // guarded by `submit`
    private var mutex = pthread_mutex_t()
    private var cond = pthread_cond_t()
    /// Spin iterations (each a `pause`, ≈ 10–40 ns) before a worker goes to sleep.
    private let spinLimit = 20_000

    private init() {
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&cond, nil)
    }

    /// Runs `body(c)` for every `c` in `0..<chunks`, using the caller plus up to
    /// `chunks − 1` workers, and returns when all are done.
    func run(chunks: Int, _ body: (Int) -> Void) {
        withoutActuallyEscaping(body) { escaping in
            withUnsafePointer(to: escaping) { bodyPointer in
                submit.withLock { _ in dispatch(chunks: chunks, body: bodyPointer) }
            }
        }
    }

    private func dispatch(chunks: Int, body: UnsafePointer<(Int) -> Void>) {
        while workerCount < chunks - 1 { spawnWorker() }
        let job = PoolJob(body: body, chunks: chunks)
        pthread_mutex_lock(&mutex)
        current = job
        generation.wrappingAdd(1, ordering: .releasing)
        pthread_cond_broadcast(&cond)
        pthread_mutex_unlock(&mutex)
        job.participate()
        // Wait for chunks other threads claimed; yield the core if one of them is slow to
        // finish (e.g. descheduled on an oversubscribed machine).
        var spins = 0
        while job.done.load(ordering: .acquiring) < chunks {
            spins += 1
            if spins < 4096 { hone_cpu_relax() } else { sched_yield() }
        }
        pthread_mutex_lock(&mutex)
        if current === job { current = nil }
        pthread_mutex_unlock(&mutex)
    }

    private func spawnWorker() {
        workerCount += 1
        let t = Thread { [unowned self] in self.workerLoop() }
        t.name = "hone-worker"
        t.start()
    }

    private func workerLoop() {
        var seen = generation.load(ordering: .acquiring)
        while true {
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                if spins < spinLimit {
                    hone_cpu_relax()
                    spins += 1
                } else {
                    pthread_mutex_lock(&mutex)
                    while generation.load(ordering: .acquiring) == seen {
                        pthread_cond_wait(&cond, &mutex)
                    }
                    pthread_mutex_unlock(&mutex)
                }
            }
            pthread_mutex_lock(&mutex)
            seen = generation.load(ordering: .acquiring)
            let job = current
            pthread_mutex_unlock(&mutex)
            job?.participate()
        }
    }
}
