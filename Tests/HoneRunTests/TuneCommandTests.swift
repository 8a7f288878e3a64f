import Foundation
import Testing
import HoneTestSupport

/// `hone` next to the test bundle (`.build/<triple>/release/hone`).
func honeExecutable() -> String? { builtExecutable("hone") }

/// Runs `hone` to completion (with a time limit) and returns its status and output.
func runHone(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
    let r = try runToCompletion(honeExecutable()!, args, environment: ["SWIFT_BACKTRACE": "enable=no"])
    return (r.status, r.stdout, r.stderr)
}

/// A small, fast study on the bundled data.
let smallConfig = """
data: {source: bundled, train_limit: 1500}
model:
  family: mlp
  mlp: {depth: 1, width: {choices: [32, 64]}}
training:
  learning_rate: {low: 1.0e-3, high: 1.0e-2, log: true}
  epochs: 3
search: {sampler: tpe, pruner: asha, trials: 6, study: small}
"""

@Suite(.serialized) struct TuneCommandTests {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hone-tune-\(UUID().uuidString)")

    func write(_ name: String, _ text: String) throws -> String {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func badConfigsFailWithLocatedMessagesAndWriteNothing() throws {
        guard honeExecutable() != nil else { Issue.record("hone executable not built"); return }
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("runs").path
        let cases: [(String, String)] = [
            ("training:\n  epochs: 3\n  optimiser: adam\n", "bad.yaml:3:3: training.optimiser: unknown key; did you mean \"optimizer\"?"),
            ("training:\n  epochs: three\n", "training.epochs: expected an integer, found \"three\""),
            ("model:\n  layers:\n    - conv2d: {filters: 8}\n    - dense: {units: 10}\n", "model.layers[1]: dense needs a flat input"),
            ("data: {source: idx, path: /nonexistent/fashion}\n", "For Fashion-MNIST install Debian's dataset-fashion-mnist"),
        ]
        for (yaml, expected) in cases {
            let path = try write("bad.yaml", yaml)
            let r = try runHone(["tune", path, "--output", out, "--quiet"])
            #expect(r.status != 0)
            #expect(r.err.contains(expected) || r.out.contains(expected), "\(r.err)")
            #expect(!FileManager.default.fileExists(atPath: out), "a bad config must not create \(out)")
        }
        let missing = try runHone(["tune", dir.appendingPathComponent("nope.yaml").path, "--output", out])
        #expect(missing.status != 0 && missing.err.contains("config file not found"))
    }

    /// kill -9 in the middle of a study, then the same command again: the study resumes, loses at
    /// most the trial that was running, and finishes with the full set of artifacts.
    @Test func killedStudyResumes() throws {
        guard let hone = honeExecutable() else { Issue.record("hone executable not built"); return }
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try write("small.yaml", smallConfig)
        let out = dir.appendingPathComponent("runs")
        let metrics = out.appendingPathComponent("small/metrics.jsonl")
        let p = try ChildProcess(hone, ["tune", config, "--output", out.path, "--quiet"],
                                 stdout: FileHandle.nullDevice, stderr: FileHandle.nullDevice)
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let lines = (try? String(contentsOf: metrics, encoding: .utf8))?.split(separator: "\n").count ?? 0
            if lines >= 4 { break }   // more than one trial has run
            usleep(20_000)
        }
        kill(p.pid, SIGKILL)
        p.wait(timeout: 60)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("small/summary.json").path))
        let r = try runHone(["tune", config, "--output", out.path, "--quiet", "--json"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("finished trials so far"))
        let last = try #require(r.out.split(separator: "\n").last)
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        let done = (summary["trials_completed"] as! Int) + (summary["trials_pruned"] as! Int) + (summary["trials_failed"] as! Int)
        #expect(done >= 5)   // six trials, at most the killed one lost
        for f in ["study.db", "metrics.jsonl", "best-model.safetensors", "best-model.json", "report.html", "summary.json"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("small/\(f)").path), "missing \(f)")
        }
        let acc = summary["test_accuracy"] as! Double
        #expect(acc > 0.5 && acc <= 1)
    }
}
