import Foundation
import Testing
import HoneTestSupport
import HoneCompute
import HoneRun
import HoneTune

/// `search.parallelism: N`: N trials run at once in one process, each with
/// `max(1, threads / N)` kernel threads, and the thread count is restored afterwards.
@Suite(.serialized) struct ParallelTrialsTests {
    /// A rendezvous inside the objective proves concurrency without timing: trials meet in
    /// pairs (each waits up to 20 s for a second one). With `parallelism: 2` all four trials
    /// meet a partner, no more than two ever run together, and each sees half the threads.
    @Test func twoTrialsRunAtOnceWithHalfTheThreadsEach() throws {
        try withThreadCount(4) {
            let study = try Study(name: "parallel", sampler: RandomSampler(seed: 1), heartbeat: .off)
            let meter = ConcurrencyMeter()
            try SearchLoop.run(study: study, budget: 4, timeout: nil, parallelism: 2, onTrialEnd: { _ in }) { trial in
                let x = try trial.suggestFloat("x", 0...1)
                meter.enter(threads: Compute.threadCount)
                defer { meter.leave() }
                meter.waitForPartner(seconds: 20)
                return x
            }
            #expect(Compute.threadCount == 4, "thread count restored after the search")
            let trials = try study.trials()
            #expect(trials.count == 4 && trials.allSatisfy { $0.state == .complete })
            #expect(meter.maxInFlight == 2)
            #expect(meter.partnered == 4, "every trial overlapped another one")
            #expect(meter.threadsSeen == [2], "threads per trial × trials ≤ threads: 4 / 2 = 2 each")
        }
    }

    /// `hone tune` with `search.parallelism: 2` and `HONE_THREADS=2`: it says it runs two
    /// trials with one kernel thread each, and the study's records show trials whose run
    /// times overlap.
    @Test func honeTuneRunsTrialsConcurrently() throws {
        guard let exe = honeExecutable() else { Issue.record("hone executable not built"); return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hone-par-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("par.yaml")
        try """
        data: {source: bundled, train_limit: 1200}
        model:
          family: mlp
          mlp: {depth: 1, width: {choices: [64, 128]}}
        training:
          learning_rate: {low: 1.0e-3, high: 1.0e-2, log: true}
          epochs: 3
        search: {sampler: random, pruner: none, trials: 4, study: par, parallelism: 2}
        """.write(to: config, atomically: true, encoding: .utf8)
        let out = Pipe()
        let p = try ChildProcess(exe, ["tune", config.path, "--output", dir.appendingPathComponent("runs").path],
                                 environment: ["HONE_THREADS": "2", "SWIFT_BACKTRACE": "enable=no"], stdout: out, stderr: out)
        let reader = PipeReader(out)
        let status = p.wait(timeout: 600)
        let text = reader.text()
        #expect(status == 0, "hone tune failed:\n\(text)")
        #expect(text.contains("running 2 trials at a time, 1 kernel thread(s) each"), "\(text)")
        let storage = try SQLiteStorage(path: dir.appendingPathComponent("runs/par/study.db").path)
        let trials = try Study(name: "par", direction: .maximize, storage: storage, heartbeat: .off).trials()
        #expect(trials.count == 4 && trials.allSatisfy { $0.state == .complete })
        let spans = trials.compactMap { t in t.startedAt.flatMap { s in t.completedAt.map { (s, $0) } } }
        #expect(spans.count == 4)
        let overlapping = spans.indices.contains { i in
            spans.indices.contains { j in i != j && spans[i].0 < spans[j].1 && spans[j].0 < spans[i].1 }
        }
        #expect(overlapping, "no two trials ran at the same time: \(spans)")
    }
}

/// Counts trials in flight and pairs them up: a barrier for two trials at a time.
final class ConcurrencyMeter: @unchecked Sendable {
    private let cond = NSCondition()
    private var inFlight = 0
    private var waiting = 0
    private var generation = 0
    private(set) var maxInFlight = 0
    private(set) var partnered = 0
    private(set) var threadsSeen: Set<Int> = []

    func enter(threads: Int) {
        cond.lock()
        inFlight += 1
        maxInFlight = max(maxInFlight, inFlight)
        threadsSeen.insert(threads)
        cond.unlock()
    }

    func leave() { cond.lock(); inFlight -= 1; cond.unlock() }

    /// Waits until a second trial arrives here too (or the time is up); the pair then goes on
    /// together, both running at that moment.
    func waitForPartner(seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        cond.lock()
        defer { cond.unlock() }
        let g = generation
        waiting += 1
        if waiting == 2 {
            waiting = 0; generation += 1; partnered += 2
            cond.broadcast()
            return
        }
        while generation == g && Date() < deadline { _ = cond.wait(until: deadline) }
        if generation == g { waiting -= 1 }
    }
}
