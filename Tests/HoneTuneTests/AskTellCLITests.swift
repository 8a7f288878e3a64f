import Foundation
import Testing
import HoneTestSupport
import HoneTune

/// `hone ask` / `hone tell` as separate processes, including every bad-input case of the
/// acceptance list: each fails with a nonzero status, a message naming the field, and leaves
/// the study unchanged.
@Suite(.serialized) struct AskTellCLITests {
    static let space = #"{"x": {"type": "float", "low": -5, "high": 10, "log": false}, "n": {"type": "int", "low": 1, "high": 8}, "opt": {"type": "categorical", "choices": ["adam", "sgd"]}}"#

    func hone() throws -> String {
        try #require(builtExecutable("hone"), "hone executable not found next to the test bundle; run `swift build -c release` first")
    }

    func ask(_ url: String, _ extra: [String] = [], space: String = Self.space) throws -> ProcessOutput {
        try runToCompletion(try hone(), ["ask", "--storage", url, "--study", "s"] + extra + ["--space", space])
    }

    func parse(_ line: String) throws -> (trial: Int, params: [String: Any]) {
        let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        return (try #require(o["trial"] as? Int), try #require(o["params"] as? [String: Any]))
    }

    @Test func askSequenceIsReproducibleAndNeverRepeats() throws {
        var runs: [[String]] = []
        for _ in 0..<2 {
            let path = tempDB("cli-seq")
            defer { removeDB(path) }
            let url = "sqlite:///" + path
            var lines: [String] = []
            for i in 0..<6 {
                let r = try ask(url, ["--direction", "minimize", "--sampler", "random", "--seed", "11"])
                #expect(r.status == 0, "\(r.stderr)")
                let (n, params) = try parse(r.stdout)
                #expect(n == i)
                #expect(Set(params.keys) == ["x", "n", "opt"])
                lines.append(r.stdout)
                let v = try #require(params["x"] as? Double)
                let t = try runToCompletion(try hone(), ["tell", "--storage", url, "--study", "s", "--trial", "\(n)", "--value", "\(v * v)"])
                #expect(t.status == 0, "\(t.stderr)")
            }
            #expect(Set(lines.map { try! parse($0).params["x"] as! Double }).count == 6)
            runs.append(lines)
        }
        #expect(runs[0] == runs[1])
    }

    @Test func badInputsFailClearlyAndChangeNothing() throws {
        let path = tempDB("cli-bad")
        defer { removeDB(path) }
        let url = "sqlite:///" + path
        let first = try ask(url, ["--direction", "minimize", "--sampler", "random", "--seed", "1"])
        #expect(first.status == 0)
        #expect(try runToCompletion(try hone(), ["tell", "--storage", url, "--study", "s", "--trial", "0", "--value", "1.5"]).status == 0)
        _ = try ask(url)   // trial 1 stays RUNNING
        let storage = try SQLiteStorage(path: path)
        let snapshot = { () throws -> [FrozenTrial] in
            let rec = try #require(try storage.study(named: "s"))
            return try storage.trials(studyID: rec.id)
        }
        let before = try snapshot()
        let attrsBefore = try storage.study(named: "s")

        let cases: [(args: [String], expect: String)] = [
            (["ask", "--storage", url, "--study", "s", "--space", #"{"x": {"type": "float", "low": 1}}"#], "x.high"),
            (["ask", "--storage", url, "--study", "s", "--space", #"{"x": {"type": "float", "low": 5, "high": 1}}"#], "x.high"),
            (["ask", "--storage", url, "--study", "s", "--space", #"{"x": {"type": "float", "low": 0, "high": 1, "log": true}}"#], "x.low"),
            (["ask", "--storage", url, "--study", "s", "--space", #"{"x": {"type": "foo"}}"#], "x.type"),
            (["ask", "--storage", url, "--study", "s", "--space", #"{"x": {"low": 0}}"#], "x.type"),
            (["ask", "--storage", url, "--study", "s", "--space", #"{"n": {"type": "int", "low": 0.5, "high": 3}}"#], "n.low"),
            (["ask", "--storage", url, "--study", "s", "--space", #"{"o": {"type": "categorical", "choices": []}}"#], "o.choices"),
            (["ask", "--storage", url, "--study", "s", "--space", #"{"o": {"type": "categorical", "choices": [null]}}"#], "o.choices[0]"),
            (["ask", "--storage", url, "--study", "s", "--space", #"{"x": {"type": "float", "low": 0, "hgih": 1}}"#], "x.hgih"),
            (["ask", "--storage", url, "--study", "s", "--space", #"{"x": "#], "SPACE"),
            (["ask", "--storage", url, "--study", "s", "--space", #"[1, 2]"#], "SPACE"),
            (["ask", "--storage", url, "--study", "s", "--space", "@/nonexistent/space.json"], "SPACE"),
            (["ask", "--storage", url, "--study", "s", "--sampler", "bogus", "--space", Self.space], "random"),
            (["ask", "--storage", url, "--study", "s", "--direction", "maximize", "--space", Self.space], "direction"),
            (["ask", "--storage", url, "--study", "s", "--direction", "sideways", "--space", Self.space], "--direction"),
            (["ask", "--storage", url, "--study", "s", "--seed", "2", "--space", Self.space], "seed"),
            (["tell", "--storage", url, "--study", "s", "--trial", "0", "--value", "3"], "trial 0 is COMPLETE"),
            (["tell", "--storage", url, "--study", "s", "--trial", "99", "--value", "3"], "no trial number 99"),
            (["tell", "--storage", url, "--study", "s", "--trial", "1", "--values", "1", "2"], "expected 1 value"),
            (["tell", "--storage", url, "--study", "s", "--trial", "1"], "--value"),
            (["tell", "--storage", url, "--study", "s", "--trial", "1", "--state", "sleeping"], "--state"),
            (["tell", "--storage", url, "--study", "nope", "--trial", "1", "--value", "1"], "no study named 'nope'"),
            (["tell", "--storage", "mysql://x", "--study", "s", "--trial", "1", "--value", "1"], "sqlite:///"),
        ]
        for c in cases {
            let r = try runToCompletion(try hone(), c.args)
            #expect(r.status != 0, "\(c.args) should fail")
            #expect(r.stderr.contains(c.expect), "\(c.args): stderr was \(r.stderr)")
            #expect(r.stdout.isEmpty, "\(c.args): printed \(r.stdout)")
        }
        #expect(try snapshot() == before)
        #expect(try storage.study(named: "s") == attrsBefore)
        #expect(try storage.allStudies().map(\.name) == ["s"])
        // The running trial can still be told normally afterwards.
        let ok = try runToCompletion(try hone(), ["tell", "--storage", url, "--study", "s", "--trial", "1", "--state", "fail"])
        #expect(ok.status == 0 && ok.stdout.contains("FAIL"))
    }

    @Test func multiObjectiveSpaceFileAndExports() throws {
        let path = tempDB("cli-mo")
        defer { removeDB(path) }
        let url = "sqlite:///" + path
        let spaceFile = path + ".space.json"
        try Data(Self.space.utf8).write(to: URL(fileURLWithPath: spaceFile))
        defer { try? FileManager.default.removeItem(atPath: spaceFile) }
        let r = try runToCompletion(try hone(), ["ask", "--storage", url, "--study", "mo", "--direction", "minimize,maximize",
                                            "--space", "@" + spaceFile])
        #expect(r.status == 0, "\(r.stderr)")
        let t = try runToCompletion(try hone(), ["tell", "--storage", url, "--study", "mo", "--trial", "0", "--values", "1", "2"])
        #expect(t.status == 0 && t.stdout.contains("[1.0, 2.0]"), "\(t.stderr)")
        let show = try runToCompletion(try hone(), ["studies", "show", "--storage", url, "--study", "mo"])
        #expect(show.status == 0 && show.stdout.contains("pareto_front"))
        let csvFile = path + ".csv"
        defer { try? FileManager.default.removeItem(atPath: csvFile) }
        let e = try runToCompletion(try hone(), ["studies", "export", "--storage", url, "--study", "mo", "--format", "csv", "--output", csvFile])
        #expect(e.status == 0, "\(e.stderr)")
        let csv = try String(contentsOfFile: csvFile, encoding: .utf8)
        #expect(csv.hasPrefix("number,state,values_0,values_1,"))
        let list = try runToCompletion(try hone(), ["studies", "list", "--storage", url])
        #expect(list.stdout.split(separator: "\n").count == 1 && list.stdout.contains("\"name\": \"mo\""))
    }
}

/// Heartbeats for ask/tell (which Optuna lacks, optuna#6615).
@Suite(.serialized) struct AskTellHeartbeatTests {
    static let space = #"{"x": {"type": "float", "low": 0, "high": 1}}"#

    @Test func staleAskedTrialIsFailedAndRetriedUnlessRefreshed() throws {
        let hone = try #require(builtExecutable("hone"), "hone executable not found; run `swift build -c release` first")
        let path = tempDB("cli-hb")
        defer { removeDB(path) }
        let url = "sqlite:///" + path
        func ask(_ extra: [String] = []) throws -> [String: Any] {
            let r = try runToCompletion(hone, ["ask", "--storage", url, "--study", "h", "--space", Self.space] + extra)
            #expect(r.status == 0, "\(r.stderr)")
            return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        }
        let first = try ask(["--heartbeat-grace", "3", "--retry"])
        #expect(first["trial"] as? Int == 0)
        // Trial 1 is kept alive with `hone heartbeat`; trial 0 is abandoned.
        let second = try ask()
        #expect(second["trial"] as? Int == 1)
        for _ in 0..<7 {
            usleep(500_000)
            let b = try runToCompletion(hone, ["heartbeat", "--storage", url, "--study", "h", "--trial", "1"])
            #expect(b.status == 0, "\(b.stderr)")
        }
        let third = try ask()   // ≥ 3.5 s after trial 0 started: it is stale, trial 1 is not
        let storage = try SQLiteStorage(path: path)
        let rec = try #require(try storage.study(named: "h"))
        let trials = try storage.trials(studyID: rec.id)
        #expect(trials[0].state == .fail)
        #expect(trials[1].state == .running)
        #expect(third["trial"] as? Int == 2)
        #expect(trials[2].systemAttributes["retried_from"] == "0")
        let p0 = try #require(first["params"] as? [String: Any]), p2 = try #require(third["params"] as? [String: Any])
        #expect(p0["x"] as? Double == p2["x"] as? Double)
        // Heartbeat for a finished or unknown trial: error, nothing changed.
        #expect(try runToCompletion(hone, ["heartbeat", "--storage", url, "--study", "h", "--trial", "0"]).status != 0)
        #expect(try runToCompletion(hone, ["heartbeat", "--storage", url, "--study", "h", "--trial", "9"]).status != 0)
        #expect(try runToCompletion(hone, ["ask", "--storage", url, "--study", "h", "--heartbeat-grace", "5", "--space", Self.space]).status != 0)
    }
}
