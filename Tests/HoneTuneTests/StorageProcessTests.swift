import Foundation
import Testing
import HoneTestSupport
import HoneTune

@Suite(.serialized) struct StorageProcessTests {
    /// 8 processes × 250 trials on one SQLite study: 2,000 trials, unique dense numbers, every
    /// value recorded and equal to the objective of its parameters, no "database is locked".
    @Test func eightProcessesShareOneStudy() throws {
        guard let bench = builtExecutable("hone-bench") else {
            Issue.record("hone-bench executable not found next to the test bundle; run `swift build -c release` first")
            return
        }
        let path = tempDB("conc")
        defer { removeDB(path) }
        let url = "sqlite:///" + path   // path is absolute → sqlite:////tmp/…
        var procs: [(ChildProcess, PipeReader)] = []
        for w in 0..<8 {
            let err = Pipe()
            let p = try ChildProcess(bench, ["storage-worker", "--storage", url, "--study", "conc", "--trials", "250", "--seed", "\(w)"],
                                     stdout: FileHandle.nullDevice, stderr: err)
            procs.append((p, PipeReader(err)))
        }
        var stderrText = ""
        for (p, err) in procs {
            #expect(p.wait(timeout: 600) == 0)
            stderrText += err.text()
        }
        #expect(!stderrText.lowercased().contains("locked"), "\(stderrText)")
        #expect(stderrText.isEmpty, "\(stderrText)")
        let storage = try SQLiteStorage(path: path)
        let study = try Study(name: "conc", storage: storage, heartbeat: .off)
        let trials = try study.trials()
        #expect(trials.count == 2000)
        #expect(trials.map(\.number) == Array(0..<2000))
        #expect(Set(trials.map(\.id)).count == 2000)
        for t in trials {
            #expect(t.state == .complete)
            guard let x = t.params["x"], let n = t.params["n"], let v = t.value else {
                Issue.record("trial \(t.number) incomplete: \(t)"); continue
            }
            #expect(abs(v - (x * x + n)) < 1e-12)
        }
        #expect(try storage.integrityCheck() == "ok")
    }

    /// A worker killed with SIGKILL mid-trial: its trial is FAIL once two heartbeat intervals
    /// have passed, and with retry it runs again with the same parameters.
    @Test func killedWorkerTrialFailsAndIsRetried() throws {
        guard let bench = builtExecutable("hone-bench") else {
            Issue.record("hone-bench executable not found next to the test bundle; run `swift build -c release` first")
            return
        }
        let path = tempDB("crash")
        defer { removeDB(path) }
        let out = Pipe()
        let p = try ChildProcess(bench, ["storage-worker", "--storage", "sqlite:///" + path, "--study", "crash", "--trials", "1",
                                         "--sleep-ms", "60000", "--heartbeat", "1", "--retry"], stdout: out)
        // Wait until the worker is inside its trial (it prints {"running": N}).
        let line = out.fileHandleForReading.availableDataLine()
        #expect(line.contains("\"running\": 0"), "worker said: \(line)")
        usleep(1_500_000)   // let the heartbeat thread beat at least once
        kill(p.pid, SIGKILL)
        p.wait(timeout: 60)
        let killedAt = Date()
        let storage = try SQLiteStorage(path: path)
        let study = try Study(name: "crash", storage: storage, heartbeat: HeartbeatOptions(interval: 1, retry: true))
        let dead = try #require(try study.trials().first)
        #expect(dead.state == .running)
        // Two intervals (plus scheduling slack) after the kill, the next trial start fails it.
        usleep(UInt32(max(0, 2.2 - Date().timeIntervalSince(killedAt)) * 1e6))
        let retry = try study.ask()
        let trials = try study.trials()
        #expect(trials[0].state == .fail)
        #expect(retry.number == 1)
        #expect(retry.frozenTrial.systemAttributes["retried_from"] == "0")
        let x = try retry.suggestFloat("x", -5...5)
        let n = try retry.suggestInt("n", 1...8)
        #expect(x == dead.params["x"] && Double(n) == dead.params["n"])
        try study.tell(retry, x * x + Double(n))
        #expect(try study.trials().map(\.state) == [.fail, .complete])
        #expect(try storage.integrityCheck() == "ok")
    }
}

extension FileHandle {
    /// Reads until a newline (or end of file) and returns the line.
    func availableDataLine() -> String {
        var bytes: [UInt8] = []
        while true {
            let d = readData(ofLength: 1)
            if d.isEmpty || d[0] == UInt8(ascii: "\n") { break }
            bytes.append(d[0])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
