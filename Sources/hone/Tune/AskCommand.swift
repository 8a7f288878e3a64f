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
/// until `hone tell`; ask/tell trials have no heartbeat (nothing runs between the calls).
struct AskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask", abstract: "Start a trial and print its parameters as JSON.")

    @Option(help: "Storage URL: sqlite:///relative.db or sqlite:////absolute.db.") var storage: String
    @Option(help: "Study name.") var study: String
    @Option(help: "minimize or maximize; comma-separated for several objectives.") var direction: String?
    @Option(help: "Sampler: \(SamplerRegistry.names.joined(separator: "|")).") var sampler: String?
    @Option(help: "Sampler seed.") var seed: UInt64?
    @Option(help: "Search space as JSON, or @file.json.") var space: String = "{}"

    func run() throws {
        let requestedDirections = try direction.map(TuneCLI.parseDirections)
        let distributions = try SearchSpace.parse(space)
        if let sampler, !SamplerRegistry.names.contains(sampler) {
            throw TuneError.unknownSampler(name: sampler, valid: SamplerRegistry.names)
        }
        let store = try openStorage(storage)
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
        }
        let samplerObject = try SamplerRegistry.make(samplerName, SamplerOptions(seed: seedValue, directions: directions, space: distributions))
        let s = try Study(name: study, directions: directions, sampler: samplerObject, storage: store, heartbeat: .off,
                          attributes: ["sampler": samplerName, "seed": String(seedValue)])
        let trial = try s.ask()
        var params: [String: JSONText] = [:]
        do {
            for name in distributions.keys.sorted() {
                let v = try trial.suggest(name, distributions[name]!)
                params[name] = JSONText(ParamValue(internal: v, distribution: distributions[name]!))
            }
        } catch {
            _ = try? s.tell(trial, state: .fail)
            throw error
        }
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
