import Foundation
import Testing
import HoneTune

private struct Boom: Error {}
private struct Tolerated: Error {}

@Suite struct StudyAPITests {
    @Test func optimizeFindsQuadraticMinimum() throws {
        let study = try Study(name: "q", sampler: RandomSampler(seed: 3), heartbeat: .off)
        try study.optimize(trials: 200) { t in
            let x = try t.suggestFloat("x", -10...10)
            return (x - 2) * (x - 2)
        }
        let trials = try study.trials()
        #expect(trials.count == 200)
        #expect(trials.map(\.number) == Array(0..<200))
        #expect(trials.allSatisfy { $0.state == .complete })
        #expect(try study.bestValue() < 0.05)
        let best = try study.bestTrial()
        guard case .float(let x)? = best.externalParams["x"] else { Issue.record("x missing"); return }
        #expect(abs((x - 2) * (x - 2) - best.value!) < 1e-12)
    }

    @Test func resuggestReturnsSameValueAndConflictThrows() throws {
        let study = try Study(name: "s", heartbeat: .off)
        let t = try study.ask()
        let a = try t.suggestFloat("x", 0...1)
        #expect(try t.suggestFloat("x", 0...1) == a)
        #expect(throws: TuneError.self) { try t.suggestFloat("x", 0...2) }
        let n = try t.suggestInt("n", 1...8)
        #expect(try t.suggestInt("n", 1...8) == n)
        let c: String = try t.suggestCategorical("c", ["a", "b", "c"])
        #expect(try t.suggestCategorical("c", ["a", "b", "c"]) == c)
        do { _ = try t.suggestInt("x", 0...1); Issue.record("expected a conflict") }
        catch let e as TuneError {
            guard case .distributionConflict(let p, _, _) = e else { Issue.record("wrong error \(e)"); return }
            #expect(p == "x")
        }
    }

    @Test func invalidDistributionsThrow() throws {
        let study = try Study(name: "s", heartbeat: .off)
        let t = try study.ask()
        #expect(throws: TuneError.self) { try t.suggestFloat("a", 0...1, log: true) }
        #expect(throws: TuneError.self) { try t.suggestFloat("b", 1...2, log: true, step: 0.1) }
        #expect(throws: TuneError.self) { try t.suggestFloat("c", 0...1, step: -1) }
        #expect(throws: TuneError.self) { try t.suggestInt("d", 0...4, log: true) }
        #expect(throws: TuneError.self) { try t.suggestInt("e", 0...4, step: 0) }
        #expect(throws: TuneError.self) { try t.suggestCategorical("f", [String]()) }
        #expect(throws: TuneError.self) { try t.suggestFloat("g", 0...Double.infinity) }
        #expect(t.params.isEmpty)
    }

    @Test func sampledValuesRespectDistributions() throws {
        let study = try Study(name: "s", sampler: RandomSampler(seed: 9), heartbeat: .off)
        for _ in 0..<200 {
            let t = try study.ask()
            let lr = try t.suggestFloat("lr", 1e-5...1e-1, log: true)
            #expect(lr >= 1e-5 && lr <= 1e-1)
            let s = try t.suggestFloat("s", 0...1, step: 0.25)
            #expect([0, 0.25, 0.5, 0.75, 1].contains(s))
            let n = try t.suggestInt("n", 2...20, step: 3)
            #expect((n - 2) % 3 == 0 && n >= 2 && n <= 20)
            let w = try t.suggestInt("w", 1...1024, log: true)
            #expect(w >= 1 && w <= 1024)
            let b: Bool = try t.suggestCategorical("b", [true, false])
            _ = b
            try study.tell(t, 0)
        }
    }

    @Test func conditionalSpaceByControlFlow() throws {
        let study = try Study(name: "c", sampler: RandomSampler(seed: 1), heartbeat: .off)
        try study.optimize(trials: 60) { t in
            let kind = try t.suggestCategorical("kind", ["svm", "tree"])
            if kind == "svm" { return try t.suggestFloat("C", 1e-3...1e3, log: true) }
            return Double(try t.suggestInt("depth", 1...10))
        }
        for t in try study.trials() {
            let kind = t.externalParams["kind"]!
            if kind == .choice(.string("svm")) { #expect(t.params.keys.sorted() == ["C", "kind"]) }
            else { #expect(t.params.keys.sorted() == ["depth", "kind"]) }
        }
    }

    @Test func sameSeedSameParamsDifferentTrialsDiffer() throws {
        func run() throws -> [Double] {
            let study = try Study(name: "d", sampler: RandomSampler(seed: 42), heartbeat: .off)
            try study.optimize(trials: 20) { try $0.suggestFloat("x", 0...1) }
            return try study.trials().map { $0.params["x"]! }
        }
        let a = try run(), b = try run()
        #expect(a == b)
        #expect(Set(a).count == a.count)
    }

    @Test func enqueuedTrialsRunFirstWithTheirParams() throws {
        let study = try Study(name: "e", sampler: RandomSampler(seed: 5), heartbeat: .off)
        try study.enqueue(["x": .float(0.125), "opt": .choice(.string("sgd"))])
        try study.enqueue(["x": .float(0.75)])
        try study.optimize(trials: 4) { t in
            let x = try t.suggestFloat("x", 0...1)
            _ = try t.suggestCategorical("opt", ["adam", "sgd"])
            return x
        }
        let ts = try study.trials()
        #expect(ts.count == 4)
        #expect(ts[0].externalParams["x"] == .float(0.125))
        #expect(ts[0].externalParams["opt"] == .choice(.string("sgd")))
        #expect(ts[1].externalParams["x"] == .float(0.75))
        #expect(ts.allSatisfy { $0.state == .complete })
    }

    @Test func enqueuedValueOutsideDistributionIsAnError() throws {
        let study = try Study(name: "e", heartbeat: .off)
        try study.enqueue(["x": .float(5)])
        let t = try study.ask()
        #expect(throws: TuneError.self) { try t.suggestFloat("x", 0...1) }
    }

    @Test func prunedFailedAndCaughtErrors() throws {
        let study = try Study(name: "p", heartbeat: .off)
        try study.optimize(trials: 3) { t in
            try t.report(0.5, step: 0)
            if t.number == 1 { throw TrialPruned() }
            return 1
        }
        let ts = try study.trials()
        #expect(ts.map(\.state) == [.complete, .pruned, .complete])
        #expect(ts[1].values == [0.5])   // pruned keeps the last intermediate value
        // A caught error type: FAIL and go on.
        try study.optimize(trials: 2, catching: [Tolerated.self]) { (_: Trial) -> Double in throw Tolerated() }
        #expect(try study.trials().suffix(2).allSatisfy { $0.state == .fail })
        // Any other error: FAIL, stop, rethrow.
        #expect(throws: Boom.self) { try study.optimize(trials: 5) { (_: Trial) -> Double in throw Boom() } }
        let all = try study.trials()
        #expect(all.count == 6)
        #expect(all.last?.state == .fail)
        #expect(all.last?.systemAttributes["fail_reason"] != nil)
    }

    @Test func nanValueMarksFail() throws {
        let study = try Study(name: "n", heartbeat: .off)
        try study.optimize(trials: 1) { _ in .nan }
        #expect(try study.trials()[0].state == .fail)
        #expect(throws: TuneError.self) { try study.bestTrial() }
    }

    @Test func askTellErrorsChangeNothing() throws {
        let study = try Study(name: "at", heartbeat: .off)
        let t = try study.ask()
        _ = try t.suggestFloat("x", 0...1)
        #expect(throws: TuneError.self) { try study.tell(t, values: [1, 2]) }        // wrong count
        #expect(try study.trials()[0].state == .running)
        try study.tell(t, 3)
        #expect(throws: TuneError.self) { try study.tell(t, 4) }                      // finished
        #expect(throws: TuneError.self) { try study.tell(trialNumber: 0, values: [4]) }
        #expect(throws: TuneError.self) { try study.tell(trialNumber: 7, values: [4]) }  // unknown
        #expect(throws: TuneError.self) { try t.suggestFloat("y", 0...1) }           // no writes after finish
        #expect(throws: TuneError.self) { try t.report(1, step: 1) }
        let after = try study.trials()
        #expect(after.count == 1 && after[0].values == [3] && after[0].params.keys.sorted() == ["x"])
    }

    @Test func directionMismatchThrowsAndKeepsStudy() throws {
        let storage = InMemoryStorage()
        _ = try Study(name: "dir", direction: .minimize, storage: storage, heartbeat: .off)
        #expect(throws: TuneError.self) { try Study(name: "dir", direction: .maximize, storage: storage) }
        #expect(try storage.study(named: "dir")?.directions == [.minimize])
    }

    @Test func maximizeAndMultiObjectivePareto() throws {
        let study = try Study(name: "mo", directions: [.minimize, .maximize], sampler: RandomSampler(seed: 2), heartbeat: .off)
        try study.optimize(trials: 100) { t in
            let x = try t.suggestFloat("x", 0...1)
            return [x, x * x]    // both improve in opposite directions: every trial is Pareto-optimal
        }
        #expect(try study.bestTrials().count == 100)
        #expect(throws: TuneError.self) { try study.bestTrial() }
        let s2 = try Study(name: "mo2", directions: [.minimize, .minimize], heartbeat: .off)
        for (a, b) in [(1.0, 1.0), (0.0, 2.0), (2.0, 0.0), (1.5, 1.5), (0.5, 0.5)] {
            let t = try s2.ask(); try s2.tell(t, values: [a, b])
        }
        #expect(try s2.bestTrials().map(\.number) == [1, 2, 4])
        let mx = try Study(name: "mx", direction: .maximize, heartbeat: .off)
        for v in [1.0, 5.0, 3.0] { let t = try mx.ask(); try mx.tell(t, v) }
        #expect(try mx.bestValue() == 5)
    }

    @Test func parallelOptimizeGivesUniqueDenseNumbers() throws {
        let study = try Study(name: "par", sampler: RandomSampler(seed: 4), heartbeat: .off)
        try study.optimize(trials: 64, parallelism: 4) { t in
            let x = try t.suggestFloat("x", 0...1)
            usleep(200)
            return x
        }
        let ts = try study.trials()
        #expect(ts.map(\.number) == Array(0..<64))
        #expect(ts.allSatisfy { $0.state == .complete && $0.values?.count == 1 })
    }

    @Test func timeoutStopsStartingTrials() throws {
        let study = try Study(name: "to", heartbeat: .off)
        try study.optimize(timeout: 0.3) { _ in usleep(20_000); return 1 }
        let ts = try study.trials()
        #expect(!ts.isEmpty)
        #expect(ts.allSatisfy { $0.state == .complete })
        #expect(throws: TuneError.self) { try study.optimize { _ in 1 } }                  // no limit given
        #expect(throws: TuneError.self) { try study.optimize(trials: 1, parallelism: 0) { _ in 1 } }
    }

    @Test func totalTrialsCountsTheWholeStudy() throws {
        let study = try Study(name: "tot", heartbeat: .off)
        try study.optimize(trials: 3) { _ in 1 }
        try study.optimize(totalTrials: 10) { _ in 1 }
        #expect(try study.trials().count == 10)
    }

    @Test func userAttributesAndExports() throws {
        let study = try Study(name: "x", sampler: RandomSampler(seed: 1), heartbeat: .off)
        try study.optimize(trials: 3) { t in
            try t.setUserAttribute("note", "a,b")
            let c: String = try t.suggestCategorical("c", ["p", "q"])
            return c == "p" ? try t.suggestFloat("x", 0...1) : 2
        }
        #expect(try study.trials().allSatisfy { $0.userAttributes["note"] == "a,b" })
        let csv = try study.exportCSV()
        let lines = csv.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("number,state,value,datetime_start,datetime_complete,duration_s,params_c"))
        #expect(lines[0].hasSuffix("user_attrs_note"))
        #expect(lines[1].hasSuffix("\"a,b\""))
        let json = try study.exportJSON()
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]
        #expect(parsed?.count == 3)
        #expect(parsed?.first?["state"] as? String == "COMPLETE")
        #expect((parsed?.first?["user_attrs"] as? [String: String])?["note"] == "a,b")
    }
}

@Suite struct StudyDedupTests {
    @Test func deduplicatedAsksNeverRepeatACompleteConfiguration() throws {
        let study = try Study(name: "dd", sampler: RandomSampler(seed: 1), heartbeat: .off)
        let space: [String: Distribution] = ["n": .int(low: 1, high: 3, log: false, step: 1),
                                             "c": .categorical(choices: [.string("a"), .string("b")])]
        var seen: Set<[String: Double]> = []
        for _ in 0..<6 {   // exactly the 6 distinct configurations
            let t = try study.ask(space: space, deduplicate: true)
            let p = t.frozenTrial.params
            #expect(!seen.contains(p))
            seen.insert(p)
            try study.tell(t, p["n"]! * 10 + p["c"]!)
        }
        let dups = try study.trials().filter { $0.systemAttributes["duplicate_of"] != nil }
        for d in dups {
            let orig = try study.trials()[Int(d.systemAttributes["duplicate_of"]!)!]
            #expect(d.params == orig.params && d.values == orig.values && d.state == .complete)
        }
        // Without dedup, the same sampler repeats configurations in this small space.
        let plain = try Study(name: "pl", sampler: RandomSampler(seed: 1), heartbeat: .off)
        var plainSeen: [[String: Double]] = []
        for _ in 0..<6 {
            let t = try plain.ask(space: space)
            plainSeen.append(t.frozenTrial.params)
            try plain.tell(t, 0)
        }
        #expect(Set(plainSeen).count < 6)
    }
}
