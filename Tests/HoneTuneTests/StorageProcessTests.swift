import Foundation
import Testing
import HoneTune

/// The built executables next to the test bundle (`.build/<triple>/release/`).
func builtExecutable(_ name: String) -> String? {
    guard let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
    var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
    for _ in 0..<4 {
        let p = dir.appendingPathComponent(name).path
        if FileManager.default.isExecutableFile(atPath: p) { return p }
        dir = dir.deletingLastPathComponent()
    }
    return nil
}

struct ProcessResult { var status: Int32; var stdout: String; var stderr: String }

/// Runs an executable to completion, capturing its output.
func runProcess(_ path: String, _ args: [String]) throws -> ProcessResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = args
    let out = Pipe(), err = Pipe()
    p.standardOutput = out; p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return ProcessResult(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                         stderr: String(decoding: e, as: UTF8.self))
}

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
        var procs: [(Process, Pipe)] = []
        for w in 0..<8 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: bench)
            p.arguments = ["storage-worker", "--storage", url, "--study", "conc", "--trials", "250", "--seed", "\(w)"]
            let err = Pipe()
            p.standardError = err
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            procs.append((p, err))
        }
        var stderrText = ""
        for (p, err) in procs {
            stderrText += String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect(p.terminationStatus == 0)
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
        let p = Process()
        p.executableURL = URL(fileURLWithPath: bench)
        p.arguments = ["storage-worker", "--storage", "sqlite:///" + path, "--study", "crash", "--trials", "1",
                       "--sleep-ms", "60000", "--heartbeat", "1", "--retry"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        // Wait until the worker is inside its trial (it prints {"running": N}).
        let line = out.fileHandleForReading.availableDataLine()
        #expect(line.contains("\"running\": 0"), "worker said: \(line)")
        usleep(1_500_000)   // let the heartbeat thread beat at least once
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
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
