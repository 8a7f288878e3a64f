import Foundation
import Testing
import HoneTestSupport
import HoneTune
import HoneTunePostgres

/// A started `hone` process whose combined output is collected.
private final class HoneProcess: @unchecked Sendable {
    private let child: ChildProcess
    private let output: PipeReader

    init(_ exe: String, _ args: [String]) throws {
        let pipe = Pipe()
        child = try ChildProcess(exe, args, environment: ["SWIFT_BACKTRACE": "enable=no", "HONE_THREADS": "1"],
                                 stdout: pipe, stderr: pipe)
        output = PipeReader(pipe)
    }

    /// Whether the process has not exited yet.
    var isRunning: Bool { child.process.isRunning }

    /// Waits for exit (killing the process after 10 minutes: status -1) and returns the status
    /// and everything printed.
    func finish() -> (Int32, String) {
        let status = child.wait(timeout: 600)
        return (status ?? -1, output.text())
    }

    /// The last line of the output that parses as a JSON object.
    static func lastJSON(_ text: String) -> [String: Any]? {
        for line in text.split(separator: "\n").reversed() where line.hasPrefix("{") {
            if let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] { return obj }
        }
        return nil
    }
}

/// End to end through the CLI: `hone tune --storage postgresql://…` creates a study and a
/// second process, `hone worker`, joins it; together they run the budget with unique, dense
/// trial numbers and leave a finished study.
@Suite(.enabled(if: PG.url != nil, Comment(rawValue: PG.skip)))
struct PostgresCLITests {
    @Test func tuneAndWorkerShareOneStudy() throws {
        guard let exe = builtExecutable("hone") else { Issue.record("hone executable not built (swift build -c release)"); return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hone-pgcli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let name = PG.unique("cli")
        let budget = 12
        let config = dir.appendingPathComponent("shared.yaml")
        try """
        data: {source: bundled, train_limit: 3000}
        model:
          family: mlp
          mlp: {depth: 1, width: {choices: [256, 512]}}
        training:
          learning_rate: {low: 1.0e-3, high: 1.0e-2, log: true}
          epochs: 5
        search: {sampler: random, pruner: none, trials: \(budget), study: \(name)}
        """.write(to: config, atomically: true, encoding: .utf8)
        let url = PG.url!
        let tune = try HoneProcess(exe, ["tune", config.path, "--storage", url, "--output", dir.appendingPathComponent("tune").path,
                                         "--quiet", "--json"])
        // The worker joins as soon as `hone tune` has created the study.
        let storage = try PG.storage()
        let deadline = Date().addingTimeInterval(120)
        while try storage.study(named: name) == nil && tune.isRunning && Date() < deadline { usleep(50_000) }
        #expect(try storage.study(named: name) != nil, "hone tune never created study \(name)")
        let worker = try HoneProcess(exe, ["worker", config.path, "--storage", url, "--output", dir.appendingPathComponent("worker").path,
                                           "--heartbeat", "2", "--quiet", "--json"])
        let (workerStatus, workerOut) = worker.finish()
        let (tuneStatus, tuneOut) = tune.finish()
        #expect(tuneStatus == 0, "hone tune failed:\n\(tuneOut)")
        #expect(workerStatus == 0, "hone worker failed:\n\(workerOut)")

        let trials = try Study(name: name, direction: .maximize, storage: storage, heartbeat: .off).trials()
        // Each process may overshoot the shared budget by at most one trial.
        #expect((budget...budget + 2).contains(trials.count), "\(trials.count) trials")
        #expect(trials.map(\.number).sorted() == Array(0..<trials.count), "trial numbers unique and dense")
        #expect(trials.allSatisfy { $0.state == .complete }, "states: \(trials.map(\.state))")
        #expect(trials.allSatisfy { $0.value != nil })
        let w = try #require(HoneProcess.lastJSON(workerOut), "no JSON summary from hone worker:\n\(workerOut)")
        let ranByWorker = (w["completed"] as? Int ?? 0) + (w["pruned"] as? Int ?? 0)
        #expect(ranByWorker >= 1, "the worker ran no trial:\n\(workerOut)")
        let t = try #require(HoneProcess.lastJSON(tuneOut), "no JSON summary from hone tune:\n\(tuneOut)")
        let testAccuracy = t["test_accuracy"] as? Double ?? -1
        #expect(testAccuracy > 0 && testAccuracy <= 1, "\(t)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("tune/\(name)/best-model.safetensors").path))
    }
}
