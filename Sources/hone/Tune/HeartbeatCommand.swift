import ArgumentParser
import Foundation
import HoneTune

/// `hone heartbeat`: tells the study that an asked trial's worker is still alive.
///
/// ```
/// hone heartbeat --storage sqlite:///tune.db --study s --trial 3
/// ```
/// Use it with `hone ask --heartbeat-grace S`: call it more often than every S seconds while the
/// trial runs. Fails (changing nothing) for an unknown or finished trial.
struct HeartbeatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heartbeat", abstract: "Refresh the heartbeat of a RUNNING trial.")

    @OptionGroup var location: StudyLocation
    @Option(help: "Trial number.") var trial: Int

    func run() throws {
        let s = try location.open()
        guard let t = try s.storage.trial(studyID: s.id, number: trial) else {
            throw TuneError.unknownTrial(study: location.study, number: trial)
        }
        guard t.state == .running else { throw TuneError.trialNotRunning(study: location.study, number: trial, state: t.state) }
        try s.storage.recordHeartbeat(trialIDs: [t.id], now: Date().timeIntervalSince1970)
        print(JSONText.object(["trial": .int(trial), "state": .string(t.state.rawValue)]).serialized(spaced: true))
    }
}
