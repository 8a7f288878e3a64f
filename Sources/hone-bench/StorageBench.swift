import ArgumentParser
import Foundation
import HoneTune
import HoneTunePostgres

/// `hone-bench storage`: ask + three suggestions + tell per trial against a fresh SQLite file
/// (or in-memory), the loop Optuna's storage benchmark runs (`benchmarks/compare-storage.py`).
struct StorageBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storage",
        abstract: "Milliseconds per trial (ask + 3 suggestions + tell) of a storage backend.")

    @Option(help: "Trials to run.") var trials = 1000
    @Option(help: "sqlite, memory or postgres.") var backend = "sqlite"
    @Option(help: "Database file (default: a fresh temporary file); for postgres, the server URL (default: env HONE_TEST_POSTGRES_URL).")
    var path: String?
    @Option(help: "SQLite durability: process (synchronous=NORMAL, default) or power (synchronous=FULL).") var durability = "process"

    func run() throws {
        let storage: any Storage
        var file: String?
        switch backend {
        case "sqlite":
            let p = path ?? NSTemporaryDirectory() + "hone-storage-bench-\(getpid()).db"
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: p + suffix) }
            guard durability == "process" || durability == "power" else {
                throw ValidationError("--durability: expected process or power, got '\(durability)'")
            }
            storage = try SQLiteStorage(path: p, durability: durability == "power" ? .powerLoss : .processCrash)
            file = p
        case "memory":
            storage = InMemoryStorage()
        case "postgres":
            guard let url = path ?? ProcessInfo.processInfo.environment["HONE_TEST_POSTGRES_URL"] else {
                throw ValidationError("--backend postgres needs --path postgresql://… or HONE_TEST_POSTGRES_URL")
            }
            storage = try PostgresStorage(url: url)
        default:
            throw ValidationError("--backend: expected sqlite, memory or postgres, got '\(backend)'")
        }
        let studyName = backend == "postgres" ? "bench-\(getpid())-\(UInt32.random(in: 0...UInt32.max))" : "bench"
        let study = try Study(name: studyName, sampler: RandomSampler(seed: 0), storage: storage)
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<trials {
            let t = try study.ask()
            let x = try t.suggestFloat("x", -5...10)
            let n = try t.suggestInt("n", 1...8)
            let opt: String = try t.suggestCategorical("opt", ["adam", "sgd"])
            try study.tell(t, x * x + Double(n) + (opt == "adam" ? 0 : 1))
        }
        let elapsed = clock.now - start
        let ms = Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) * 1e-15
        let out: JSONText = .object([
            "bench": .string("storage"), "backend": .string(backend), "trials": .int(trials),
            "durability": .string(backend == "sqlite" ? durability : "none"),
            "ms_per_trial": .double((ms / Double(trials) * 1000).rounded() / 1000),
        ])
        print(out.serialized(spaced: true))
        if let file, path == nil, backend == "sqlite" {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + suffix) }
        }
    }
}

/// `hone-bench storage-worker`: one worker process for the multi-process storage tests.
/// Runs `--trials` trials of a deterministic objective (value = x² + n, so a checker can verify
/// every recorded value against its parameters), optionally sleeping inside each trial.
struct StorageWorker: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storage-worker",
        abstract: "Runs trials against a shared storage (used by the concurrency and crash tests).")

    @Option(help: "Storage URL, e.g. sqlite:////tmp/s.db.") var storage: String
    @Option(help: "Study name.") var study: String
    @Option(help: "Trials to run.") var trials = 250
    @Option(help: "Sampler seed.") var seed: UInt64 = 0
    @Option(help: "Milliseconds to sleep inside each trial.") var sleepMs = 0
    @Option(help: "Heartbeat interval in seconds (0 = off).") var heartbeat = 10.0
    @Flag(help: "Re-enqueue trials of dead workers.") var retry = false

    func run() throws {
        PostgresStorage.registerScheme()
        let hb = heartbeat > 0 ? HeartbeatOptions(interval: heartbeat, retry: retry) : .off
        let s = try Study(name: study, sampler: RandomSampler(seed: seed), storage: try openStorage(storage), heartbeat: hb)
        let sleep = sleepMs
        try s.optimize(trials: trials) { t in
            let x = try t.suggestFloat("x", -5...5)
            let n = try t.suggestInt("n", 1...8)
            if sleep > 0 {
                FileHandle.standardOutput.write(Data("{\"running\": \(t.number)}\n".utf8))
                usleep(UInt32(sleep) * 1000)
            }
            return x * x + Double(n)
        }
    }
}
