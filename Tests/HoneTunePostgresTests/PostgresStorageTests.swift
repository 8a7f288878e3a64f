import Foundation
import Testing
import HoneTestSupport
import HoneTune
import HoneTunePostgres

/// The server the tests use: `HONE_TEST_POSTGRES_URL` (e.g. `postgresql://hone:hone@127.0.0.1/hone_test`;
/// `.ci/run` starts a server and sets it). Without it every test here is skipped.
enum PG {
    static let url = ProcessInfo.processInfo.environment["HONE_TEST_POSTGRES_URL"]
    static let skip = "HONE_TEST_POSTGRES_URL is not set: PostgreSQL storage tests skipped (see .ci/run)"
    static func unique(_ tag: String) -> String { "\(tag)-\(getpid())-\(UUID().uuidString.prefix(8))" }
    static func storage() throws -> PostgresStorage { try PostgresStorage(url: url!) }
}

@Suite(.enabled(if: PG.url != nil, Comment(rawValue: PG.skip)))
struct PostgresStorageTests {
    @Test func studyCreateLoadAndAttributes() throws {
        let s = try PG.storage()
        let name = PG.unique("study")
        let (a, created) = try s.loadOrCreateStudy(name: name, directions: [.minimize, .maximize], attributes: ["sampler": "tpe"])
        #expect(created)
        let (b, again) = try s.loadOrCreateStudy(name: name, directions: [.minimize], attributes: [:])
        #expect(!again && b.id == a.id && b.directions == [.minimize, .maximize] && b.attributes == ["sampler": "tpe"])
        try s.setStudyAttribute(studyID: a.id, key: "seed", value: "7")
        try s.setStudyAttribute(studyID: a.id, key: "seed", value: "8")
        #expect(try s.study(named: name)?.attributes == ["sampler": "tpe", "seed": "8"])
        #expect(try s.allStudies().contains { $0.name == name })
        #expect(try s.study(named: PG.unique("absent")) == nil)
    }

    @Test func askTellRoundTripsEveryField() throws {
        let study = try Study(name: PG.unique("fields"), sampler: RandomSampler(seed: 1), storage: try PG.storage(), heartbeat: .off)
        let t = try study.ask()
        let x = try t.suggestFloat("x", 1e-4...1, log: true)
        let n = try t.suggestInt("n", 1...8)
        let o: String = try t.suggestCategorical("opt", ["adam", "sgd"])
        try t.report(0.5, step: 0)
        try t.report(.nan, step: 1)
        try t.setUserAttribute("note", "hello ' \"quoted\"")
        try study.tell(t, x + Double(n) + (o == "adam" ? 0 : 1))
        // A fresh storage sees exactly what was written.
        let again = try Study(name: study.name, storage: try PG.storage(), heartbeat: .off)
        let f = try #require(try again.trials().first)
        #expect(f.state == .complete && f.number == 0)
        #expect(f.params == t.frozenTrial.params || f.params.count == 3)
        #expect(f.externalParams["n"] == .int(n) && f.externalParams["opt"] == .choice(.string(o)))
        #expect(f.value == x + Double(n) + (o == "adam" ? 0 : 1))
        #expect(f.intermediateValues[0] == 0.5 && f.intermediateValues[1]!.isNaN)
        #expect(f.userAttributes["note"] == "hello ' \"quoted\"")
        #expect(f.startedAt != nil && f.completedAt != nil)
    }

    @Test func writesToAFinishedTrialThrowAndChangeNothing() throws {
        let storage = try PG.storage()
        let study = try Study(name: PG.unique("cas"), storage: storage, heartbeat: .off)
        let t = try study.ask()
        _ = try t.suggestFloat("x", 0...1)
        try study.tell(t, 1.0)
        #expect(throws: TuneError.self) { try storage.setIntermediateValue(trialID: t.id, step: 3, value: 1) }
        do {
            _ = try storage.finishTrial(trialID: t.id, state: .fail, values: nil, now: 0)
            Issue.record("finishing a finished trial must throw")
        } catch let TuneError.trialNotRunning(s, number, state) {
            #expect(s == study.name && number == 0 && state == .complete)
        }
        #expect(try study.trials()[0].state == .complete && study.trials()[0].intermediateValues.isEmpty)
    }

    @Test func enqueuedTrialsRunFirstWithTheirParameters() throws {
        let study = try Study(name: PG.unique("enqueue"), sampler: RandomSampler(seed: 2), storage: try PG.storage(), heartbeat: .off)
        _ = try study.enqueue(["x": .float(0.25)])
        let t = try study.ask()
        #expect(t.number == 0)
        #expect(try t.suggestFloat("x", 0...1) == 0.25)
        try study.tell(t, 0.25)
        let u = try study.ask()
        #expect(u.number == 1)
        try study.tell(u, state: .pruned)
        #expect(try study.trials().map(\.state) == [.complete, .pruned])
    }

    /// Trial snapshots fetch only what changed: a second storage's writes appear in the first's
    /// cached list, patched in place.
    @Test func snapshotsSeeOtherWorkersChanges() throws {
        let name = PG.unique("snap")
        let a = try Study(name: name, storage: try PG.storage(), heartbeat: .off)
        let b = try Study(name: name, storage: try PG.storage(), heartbeat: .off)
        let t0 = try a.ask()
        #expect(try b.trials().map(\.state) == [.running])
        try a.tell(t0, 1.0)
        let t1 = try b.ask()
        #expect(try a.trials().map(\.state) == [.complete, .running])
        try b.tell(t1, 2.0)
        #expect(try a.trials().map(\.value) == [1.0, 2.0])
        #expect(try b.trials().map(\.value) == [1.0, 2.0])
    }

    /// Many threads on several connections claim unique, dense numbers (row locks, not luck).
    @Test func concurrentClaimsAreUniqueAndDense() throws {
        let name = PG.unique("claims")
        let storages = try (0..<4).map { _ in try PG.storage() }
        let study0 = try Study(name: name, storage: storages[0], heartbeat: .off)
        let numbers = Locked<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { w in
            guard let study = try? Study(name: name, storage: storages[w % 4], heartbeat: .off) else { return }
            for _ in 0..<25 {
                guard let t = try? study.ask() else { continue }
                numbers.mutate { $0.append(t.number) }
                _ = try? study.tell(t, Double(t.number))
            }
        }
        let got = numbers.value.sorted()
        #expect(got == Array(0..<200))
        let trials = try study0.trials()
        #expect(trials.count == 200 && trials.allSatisfy { $0.state == .complete && $0.value == Double($0.number) })
    }

    /// A RUNNING trial without heartbeats for `grace` seconds (server clock) is failed by the
    /// next ask and re-run with the same parameters.
    @Test func staleTrialFailsAndIsRetried() throws {
        let name = PG.unique("stale")
        let hb = HeartbeatOptions(interval: 0.5, retry: true)
        let dead = try Study(name: name, sampler: RandomSampler(seed: 3), storage: try PG.storage(),
                             heartbeat: HeartbeatOptions(interval: nil, grace: 1, retry: true))
        // A worker that asks with heartbeats recorded once and then "dies" (never beats again).
        let storage = try PG.storage()
        let rec = try #require(try storage.study(named: name))
        let (t, _) = try storage.startTrial(studyID: rec.id, now: Date().timeIntervalSince1970,
                                            stale: StaleTrialPolicy(grace: 1, retry: true))
        let distribution = Distribution.float(low: 0, high: 1, log: false, step: nil)
        try storage.setParam(trialID: t.id, name: "x", value: 0.625, distribution: distribution)
        _ = dead
        usleep(1_300_000)
        let live = try Study(name: name, sampler: RandomSampler(seed: 4), storage: try PG.storage(), heartbeat: hb)
        let retry = try live.ask()
        #expect(try live.trials()[0].state == .fail)
        #expect(retry.number == 1 && retry.frozenTrial.systemAttributes["retried_from"] == "0")
        #expect(try retry.suggestFloat("x", 0...1) == 0.625)
        try live.tell(retry, 1)
        #expect(try live.trials().map(\.state) == [.fail, .complete])
    }

    /// A connection killed by the server (as on a restart) is re-opened and the call retried.
    @Test func reconnectsAfterTheServerDropsTheConnection() throws {
        guard let psql = ["/usr/bin/psql", "/usr/local/bin/psql"].first(where: FileManager.default.isExecutableFile) else {
            print("psql not found: reconnect test skipped"); return
        }
        let app = PG.unique("hone-reconnect")
        let storage = try PostgresStorage(url: PG.url! + "?application_name=" + app)
        let study = try Study(name: PG.unique("reconnect"), storage: storage, heartbeat: .off)
        let t = try study.ask()
        let kill = try runToCompletion(psql, [PG.url!, "-Atc", "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '\(app)'"],
                                       timeout: 60)
        #expect(kill.stdout.hasPrefix("1"), "psql: \(kill.stderr)")
        _ = try t.suggestFloat("x", 0...1)
        try study.tell(t, 3)
        #expect(try study.trials().map(\.state) == [.complete])
    }

    /// A server that never answers: the storage gives up after `reconnect_timeout` with a
    /// message that names the server and says nothing was marked failed.
    @Test func unreachableServerFailsWithAClearMessage() throws {
        // Port 1 on loopback: nothing listens there.
        let url = "postgresql://hone@127.0.0.1:1/none?reconnect_timeout=0.5"
        let start = Date()
        do {
            _ = try PostgresStorage(url: url)
            Issue.record("connecting to a closed port must fail")
        } catch let e as TuneError {
            let text = e.description
            #expect(text.contains("127.0.0.1:1") && text.contains("nothing was marked"), "\(text)")
        }
        #expect(Date().timeIntervalSince(start) < 30)
    }

    @Test func badURLsAreRejectedWithTheirField() throws {
        for url in ["postgresql://127.0.0.1/db", "postgresql://u@/db", "postgresql://u@h/", "postgresql://u@h/db?foo=1",
                    "postgresql://u@h/db?reconnect_timeout=-1"] {
            #expect(throws: TuneError.self) { _ = try PostgresURL(url) }
        }
        let u = try PostgresURL("postgresql://me:secret@db.example:6543/studies?reconnect_timeout=5")
        #expect(u.user == "me" && u.password == "secret" && u.host == "db.example" && u.port == 6543)
        #expect(u.database == "studies" && u.reconnectTimeout == 5 && !u.redacted.contains("secret"))
    }

    @Test func openStorageChoosesTheBackendByScheme() throws {
        PostgresStorage.registerScheme()
        #expect(try openStorage(PG.url!) is PostgresStorage)
        #expect(try openStorage("memory:") is InMemoryStorage)
    }
}

final class Locked<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var v: T
    init(_ v: T) { self.v = v }
    var value: T { lock.lock(); defer { lock.unlock() }; return v }
    func mutate(_ f: (inout T) -> Void) { lock.lock(); f(&v); lock.unlock() }
}
