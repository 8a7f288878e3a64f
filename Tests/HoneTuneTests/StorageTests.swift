import Foundation
import Testing
import HoneTune

func tempDB(_ tag: String) -> String {
    let p = NSTemporaryDirectory() + "hone-\(tag)-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).db"
    for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: p + s) }
    return p
}

func removeDB(_ p: String) {
    for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: p + s) }
}

/// Storage contract checks, run on every backend.
@Suite struct StorageContractTests {
    static func backends() throws -> [(String, any Storage)] {
        [("memory", InMemoryStorage()), ("sqlite", try SQLiteStorage(path: tempDB("contract")))]
    }

    @Test func contract() throws {
        for (name, s) in try Self.backends() {
            let (rec, created) = try s.loadOrCreateStudy(name: "c", directions: [.minimize], attributes: ["k": "v"])
            #expect(created, "\(name)")
            let again = try s.loadOrCreateStudy(name: "c", directions: [.maximize], attributes: [:])
            #expect(!again.created && again.study.directions == [.minimize] && again.study.attributes == ["k": "v"], "\(name)")
            let d = Distribution.float(low: 0, high: 1, log: false, step: nil)
            let w = try s.enqueueTrial(studyID: rec.id, params: ["x": 0.5], distributions: ["x": d], systemAttributes: ["a": "b"])
            #expect(w.state == .waiting && w.number == 0, "\(name)")
            let (t0, _) = try s.startTrial(studyID: rec.id, now: 100, stale: nil)
            #expect(t0.number == 0 && t0.state == .running && t0.params == ["x": 0.5] && t0.systemAttributes == ["a": "b"], "\(name)")
            let (t1, _) = try s.startTrial(studyID: rec.id, now: 100, stale: nil)
            #expect(t1.number == 1, "\(name)")
            try s.setParam(trialID: t1.id, name: "y", value: 3, distribution: .int(low: 1, high: 5, log: false, step: 1))
            try s.setIntermediateValue(trialID: t1.id, step: 2, value: .nan)
            try s.setIntermediateValue(trialID: t1.id, step: 3, value: -.infinity)
            try s.setTrialAttribute(trialID: t1.id, key: "u", value: "1", system: false)
            let done = try s.finishTrial(trialID: t1.id, state: .complete, values: [.infinity], now: 101)
            #expect(done.state == .complete && done.values == [.infinity], "\(name)")
            #expect(done.intermediateValues[2]!.isNaN && done.intermediateValues[3] == -.infinity, "\(name)")
            #expect(done.userAttributes == ["u": "1"] && done.params == ["y": 3], "\(name)")
            // Compare-and-swap: a finished trial rejects every write, and nothing changes.
            #expect(throws: TuneError.self) { try s.finishTrial(trialID: t1.id, state: .fail, values: nil, now: 102) }
            #expect(throws: TuneError.self) { try s.setParam(trialID: t1.id, name: "z", value: 0, distribution: d) }
            #expect(throws: TuneError.self) { try s.setIntermediateValue(trialID: t1.id, step: 9, value: 0) }
            func noNaN(_ t: FrozenTrial?) -> FrozenTrial? {   // NaN != NaN: compare the rest
                guard var t else { return nil }
                #expect(t.intermediateValues[2]?.isNaN == true, "\(name)")
                t.intermediateValues[2] = nil
                return t
            }
            #expect(noNaN(try s.trial(studyID: rec.id, number: 1)) == noNaN(done), "\(name)")
            let all = try s.trials(studyID: rec.id)
            #expect(all.map(\.number) == [0, 1] && noNaN(all[1]) == noNaN(done), "\(name)")
        }
    }

    @Test func staleTrialsFailAndRetryWithTheirParams() throws {
        for (name, s) in try Self.backends() {
            let rec = try s.loadOrCreateStudy(name: "h", directions: [.minimize], attributes: [:]).study
            let policy = StaleTrialPolicy(grace: 2, retry: true, maxRetries: 1)
            let d = Distribution.float(low: 0, high: 1, log: false, step: nil)
            let (t0, _) = try s.startTrial(studyID: rec.id, now: 100, stale: policy)
            try s.setParam(trialID: t0.id, name: "x", value: 0.25, distribution: d)
            try s.recordHeartbeat(trialIDs: [t0.id], now: 101)
            // 101 + 2 is not yet stale at 102.5.
            let (t1, f1) = try s.startTrial(studyID: rec.id, now: 102.5, stale: policy)
            #expect(f1.isEmpty && t1.number == 1, "\(name)")
            // At 104, both are stale (t1's beat is 102.5, so not t1): t0 fails and is re-enqueued.
            let (t2, f2) = try s.startTrial(studyID: rec.id, now: 104, stale: policy)
            #expect(f2 == [0], "\(name)")
            #expect(t2.number == 2 && t2.params == ["x": 0.25] && t2.systemAttributes["retried_from"] == "0", "\(name)")
            #expect(try s.trial(studyID: rec.id, number: 0)?.state == .fail, "\(name)")
            // maxRetries 1: the retry's own death is not retried again.
            let (_, f3) = try s.startTrial(studyID: rec.id, now: 110, stale: policy)
            #expect(Set(f3) == [1, 2], "\(name)")
            let states = try s.trials(studyID: rec.id).map(\.state)
            #expect(states == [.fail, .fail, .fail, .running], "\(name)")
        }
    }

    @Test func trialsWithoutHeartbeatNeverGoStale() throws {
        let s = try SQLiteStorage(path: tempDB("nohb"))
        let rec = try s.loadOrCreateStudy(name: "n", directions: [.minimize], attributes: [:]).study
        _ = try s.startTrial(studyID: rec.id, now: 0, stale: nil)           // an ask/tell trial
        let (_, failed) = try s.startTrial(studyID: rec.id, now: 1e9, stale: StaleTrialPolicy(grace: 1, retry: false))
        #expect(failed.isEmpty)
        removeDB(s.path)
    }
}

@Suite struct StorageSQLiteTests {
    @Test func studySurvivesReopenAndResumesByName() throws {
        let path = tempDB("resume")
        defer { removeDB(path) }
        var before: [FrozenTrial] = []
        do {
            let study = try Study(name: "r", direction: .maximize, sampler: RandomSampler(seed: 1),
                                  storage: try SQLiteStorage(path: path), heartbeat: .off)
            try study.optimize(trials: 20) { t in
                let x = try t.suggestFloat("x", 0...1)
                let c: String = try t.suggestCategorical("c", ["a", "b"])
                try t.report(x / 2, step: 0)
                try t.setUserAttribute("c", c)
                return x
            }
            before = try study.trials()
        }
        let reopened = try Study(name: "r", direction: .maximize, sampler: RandomSampler(seed: 1),
                                 storage: try SQLiteStorage(path: path), heartbeat: .off)
        #expect(try reopened.trials() == before)
        try reopened.optimize(trials: 5) { try $0.suggestFloat("x", 0...1) }
        #expect(try reopened.trials().map(\.number) == Array(0..<25))
        #expect(throws: TuneError.self) {
            try Study(name: "r", direction: .minimize, storage: try SQLiteStorage(path: path))
        }
        #expect(try SQLiteStorage(path: path).integrityCheck() == "ok")
    }

    @Test func cachedSnapshotsMatchFreshReads() throws {
        let path = tempDB("cache")
        defer { removeDB(path) }
        let a = try Study(name: "c", sampler: RandomSampler(seed: 2), storage: try SQLiteStorage(path: path), heartbeat: .off)
        let reader = try SQLiteStorage(path: path)
        for i in 0..<30 {
            let t = try a.ask()
            _ = try t.suggestInt("n", 0...9)
            if i % 3 == 0 { _ = try reader.trials(studyID: a.id) }      // cache a RUNNING trial
            try t.report(Double(i), step: 1)
            if i % 5 == 0 { try a.tell(t, state: .pruned) } else if i % 7 != 0 { try a.tell(t, Double(i)) }
            let fresh = try SQLiteStorage(path: path).trials(studyID: a.id)
            #expect(try reader.trials(studyID: a.id) == fresh)
        }
    }

    @Test func invalidStorageURLs() throws {
        #expect(throws: TuneError.self) { try openStorage("postgres://x") }
        #expect(throws: TuneError.self) { try openStorage("sqlite:///") }
        #expect(throws: TuneError.self) { try openStorage("sqlite:////nonexistent-dir-hone/x.db") }
        #expect(try openStorage("memory:") is InMemoryStorage)
    }

    @Test func heartbeatThreadKeepsLongTrialsAlive() throws {
        let path = tempDB("beat")
        defer { removeDB(path) }
        let storage = try SQLiteStorage(path: path)
        let hb = HeartbeatOptions(interval: 0.4, retry: true)
        let study = try Study(name: "b", storage: storage, heartbeat: hb)
        let slow = try study.ask()
        usleep(2_400_000)                       // 6 intervals: alive only thanks to the heartbeat thread
        let other = try study.ask()
        #expect(try study.trials()[slow.number].state == .running)
        try study.tell(slow, 1); try study.tell(other, 2)
        #expect(try study.trials().count == 2)
    }
}
