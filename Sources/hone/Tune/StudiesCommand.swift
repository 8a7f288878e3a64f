import ArgumentParser
import Foundation
import HoneTune

/// `hone studies list|show|export`: inspect the studies of a storage.
struct StudiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "studies", abstract: "List, show or export stored studies.",
        subcommands: [List.self, Show.self, Export.self])

    /// Summary of one study as JSON.
    static func summary(_ s: Study) throws -> JSONText {
        let trials = try s.trials()
        var counts: [String: JSONText] = [:]
        for st in TrialState.allCases { counts[st.rawValue] = .int(trials.filter { $0.state == st }.count) }
        var o: [String: JSONText] = [
            "name": .string(s.name),
            "directions": .array(s.directions.map { .string($0.rawValue) }),
            "trials": .int(trials.count),
            "states": .object(counts),
            "attributes": .object(try s.attributes().mapValues(JSONText.string)),
        ]
        let front = try s.bestTrials()
        if s.directions.count == 1 {
            if let best = try? s.bestTrial() {
                o["best_value"] = .double(best.values![0])
                o["best_trial"] = .int(best.number)
                o["best_params"] = .object(best.externalParams.mapValues(JSONText.init))
            }
        } else {
            o["pareto_front"] = .array(front.map { t in
                .object(["trial": .int(t.number), "values": .array((t.values ?? []).map(JSONText.double))])
            })
        }
        return .object(o)
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One JSON line per study.")
        @Option(help: "Storage URL.") var storage: String

        func run() throws {
            let store = try openStorage(storage)
            for rec in try store.allStudies() {
                let s = try Study(name: rec.name, directions: rec.directions, storage: store, heartbeat: .off)
                print(try StudiesCommand.summary(s).serialized(spaced: true))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A study's summary and best trial(s) as JSON.")
        @OptionGroup var location: StudyLocation

        func run() throws {
            print(try StudiesCommand.summary(location.open()).serialized(spaced: true))
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The trials table as CSV or JSON.")
        @OptionGroup var location: StudyLocation
        @Option(help: "csv or json.") var format = "csv"
        @Option(help: "Output file (written atomically); default standard output.") var output: String?

        func run() throws {
            let s = try location.open()
            let text: String
            switch format {
            case "csv": text = try s.exportCSV()
            case "json": text = try s.exportJSON()
            default: throw TuneError.invalidArgument(field: "--format", reason: "expected csv or json, got '\(format)'")
            }
            if let output { try AtomicFile.write(Data(text.utf8), to: output) } else { print(text, terminator: "") }
        }
    }
}
