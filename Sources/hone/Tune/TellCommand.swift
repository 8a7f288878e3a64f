import ArgumentParser
import Foundation
import HoneTune

/// `hone tell`: finishes a RUNNING trial with its value(s) or a state.
///
/// ```
/// hone tell --storage sqlite:///tune.db --study s --trial 3 --value 0.25
/// hone tell --storage sqlite:///tune.db --study s --trial 4 --values 0.25 13
/// hone tell --storage sqlite:///tune.db --study s --trial 5 --state fail
/// ```
/// Telling a finished or unknown trial fails and changes nothing.
struct TellCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tell", abstract: "Finish a trial with its objective value(s) or a state.")

    @OptionGroup var location: StudyLocation
    @Option(help: "Trial number (from hone ask).") var trial: Int
    @Option(help: "The objective value (single objective).") var value: Double?
    @Option(parsing: .upToNextOption, help: "One value per objective.") var values: [Double] = []
    @Option(help: "complete (default with values), pruned or fail.") var state: String?

    func validate() throws {
        if value != nil && !values.isEmpty { throw ValidationError("give --value or --values, not both") }
    }

    func run() throws {
        var finalState = TrialState.complete
        if let state {
            guard let st = TrialState(rawValue: state.uppercased()), st.isFinished else {
                throw TuneError.invalidArgument(field: "--state", reason: "expected complete, pruned or fail, got '\(state)'")
            }
            finalState = st
        }
        let vals: [Double]? = value.map { [$0] } ?? (values.isEmpty ? nil : values)
        if finalState == .complete && vals == nil {
            throw TuneError.invalidArgument(field: "--value", reason: "a COMPLETE trial needs --value V or --values V1 V2 …")
        }
        if finalState == .fail && vals != nil {
            throw TuneError.invalidArgument(field: "--state", reason: "a FAIL trial takes no values")
        }
        let s = try location.open()
        let t = try s.tell(trialNumber: trial, state: finalState, values: vals)
        let out: JSONText = .object([
            "trial": .int(t.number), "state": .string(t.state.rawValue),
            "values": t.values.map { .array($0.map(JSONText.double)) } ?? .null,
        ])
        print(out.serialized(spaced: true))
    }
}
