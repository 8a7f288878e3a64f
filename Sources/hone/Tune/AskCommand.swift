import ArgumentParser
import Foundation
import HoneTune

/// `hone ask`: starts a trial of a stored study and prints `{"trial": N, "params": {...}}`.
///
/// ```
/// hone ask --storage sqlite:///tune.db --study s --direction minimize --sampler random --seed 1 \
///          --space '{"x": {"type": "float", "low": -5, "high": 10}}'
/// ```
/// The first ask creates the study (keeping its direction, sampler and seed); later asks must
/// agree with them, else nothing is written and the command fails. The trial stays RUNNING
/// until `hone tell`. By default ask/tell trials have no heartbeat (nothing runs between the
/// calls). With `--heartbeat-grace S` (kept by the study once given), a trial not told and not
/// refreshed by `hone heartbeat` within S seconds is failed by the next ask — and with
/// `--retry`, handed out again with the same parameters.
struct AskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask", abstract: "Start a trial and print its parameters as JSON.")

    @Option(help: "Storage URL: sqlite:///relative.db or sqlite:////absolute.db.") var storage: String
    @Option(help: "Study name.") var study: String
    @Option(help: "minimize or maximize; comma-separated for several objectives.") var direction: String?
    @Option(help: "Sampler: \(SamplerRegistry.names.joined(separator: "|")).") var sampler: String?
    @Option(help: "Sampler seed.") var seed: UInt64?
    @Option(help: "Search space as JSON, or @file.json.") var space: String = "{}"
    @Flag(help: "Never hand out a configuration equal to a COMPLETE trial's (duplicates are completed with its value).")
    var dedup = false
    @Option(help: "Seconds after which a trial not told and not refreshed with `hone heartbeat` is failed.")
    var heartbeatGrace: Double?
    @Flag(help: "With --heartbeat-grace: re-enqueue failed stale trials with their parameters.")
    var retry = false

    func run() throws {
        let requestedDirections = try direction.map(TuneCLI.parseDirections)
        let distributions = try SearchSpace.parse(space)
        if let sampler, !SamplerRegistry.names.contains(sampler) {
            throw TuneError.unknownSampler(name: sampler, valid: SamplerRegistry.names)
        }
        if let g = heartbeatGrace, !(g > 0) {
            throw TuneError.invalidArgument(field: "--heartbeat-grace", reason: "must be a positive number of seconds, got \(g)")
        }
        let store = try openStorage(storage)
        var grace = heartbeatGrace
        var retryStale = retry
        var directions = requestedDirections ?? [.minimize]
        var samplerName = sampler ?? "random"
        var seedValue = seed ?? 0
        if let existing = try store.study(named: study) {
            if let requestedDirections, requestedDirections != existing.directions {
                throw TuneError.directionMismatch(study: study, stored: existing.directions, requested: requestedDirections)
            }
            directions = existing.directions
            let storedSampler = existing.attributes["sampler"] ?? "random"
            if let sampler, sampler != storedSampler {
                throw TuneError.settingMismatch(study: study, field: "sampler", stored: storedSampler, requested: sampler)
            }
            samplerName = storedSampler
            let storedSeed = existing.attributes["seed"].flatMap { UInt64($0) } ?? 0
            if let seed, seed != storedSeed {
                throw TuneError.settingMismatch(study: study, field: "seed", stored: String(storedSeed), requested: String(seed))
            }
            seedValue = storedSeed
            if let stored = existing.attributes["heartbeat_grace"].flatMap(Double.init) {
                if let g = heartbeatGrace, g != stored {
                    throw TuneError.settingMismatch(study: study, field: "heartbeat grace", stored: "\(stored)", requested: "\(g)")
                }
                grace = stored
            }
            retryStale = retryStale || existing.attributes["retry"] == "true"
        }
        let samplerObject = try SamplerRegistry.make(samplerName, SamplerOptions(seed: seedValue, directions: directions, space: distributions))
        var attributes = ["sampler": samplerName, "seed": String(seedValue)]
        if let grace { attributes["heartbeat_grace"] = "\(grace)"; attributes["retry"] = String(retryStale) }
        let heartbeat = grace.map { HeartbeatOptions(interval: $0 / 2, grace: $0, retry: retryStale) } ?? .off
        let s = try Study(name: study, directions: directions, sampler: samplerObject, storage: store, heartbeat: heartbeat,
                          attributes: attributes)
        if let grace, try s.attributes()["heartbeat_grace"] == nil {   // given for the first time on an existing study
            try store.setStudyAttribute(studyID: s.id, key: "heartbeat_grace", value: "\(grace)")
            try store.setStudyAttribute(studyID: s.id, key: "retry", value: String(retryStale))
        }
        let trial = try s.ask(space: distributions, deduplicate: dedup)
        let params = trial.params.mapValues(JSONText.init)
        print(JSONText.object(["trial": .int(trial.number), "params": .object(params)]).serialized(spaced: true))
    }
}

/// Helpers shared by the tuning subcommands.
enum TuneCLI {
    static func parseDirections(_ text: String) throws -> [StudyDirection] {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !parts.isEmpty else { throw TuneError.invalidArgument(field: "--direction", reason: "expected minimize or maximize") }
        return try parts.map { p in
            guard let d = StudyDirection(rawValue: p) else {
                throw TuneError.invalidArgument(field: "--direction", reason: "expected minimize or maximize, got '\(p)'")
            }
            return d
        }
    }

    /// Opens an existing study (any sampler: the caller only reads or tells).
    static func openStudy(storage: String, name: String) throws -> Study {
        let store = try openStorage(storage)
        guard let rec = try store.study(named: name) else { throw TuneError.studyNotFound(name) }
        return try Study(name: name, directions: rec.directions, storage: store, heartbeat: .off)
    }
}
