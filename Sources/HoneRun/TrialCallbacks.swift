import Foundation
import HoneNN
import HoneTensor
import HoneTrain
import HoneTune

/// Set by Ctrl-C (SIGINT): the running trial stops at the next batch and is recorded as
/// interrupted; the study can be resumed by running the same command again.
public final class InterruptFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var set = false
    public init() {}
    public var isSet: Bool { lock.lock(); defer { lock.unlock() }; return set }
    public func raise() { lock.lock(); set = true; lock.unlock() }
}

/// Thrown inside a trial when the user interrupts the run.
public struct RunInterrupted: Error, CustomStringConvertible {
    public var description: String { "interrupted by the user (Ctrl-C); run the same command again to resume" }
}

/// Reports the validation accuracy of every epoch to the trial, asks the pruner whether to stop,
/// stops on an interrupt, and stops at the search deadline (`search.timeout`): a trial still
/// training when the deadline passes ends at its next epoch boundary and completes with the best
/// validation accuracy it reached (user attribute `stopped_by_timeout`), so a timed search ends
/// on time even with a slow trial in flight, and that trial can still be chosen for the retrain.
final class TrialReporter: Callback {
    let trial: Trial
    let interrupt: InterruptFlag
    let deadline: Date?
    private(set) var best = -Double.infinity
    private(set) var stoppedByDeadline = false

    init(trial: Trial, interrupt: InterruptFlag, deadline: Date? = nil) {
        self.trial = trial; self.interrupt = interrupt; self.deadline = deadline
    }

    func batchDidEnd(_ batch: Int, loss: Double, state: TrainingState) throws {
        if interrupt.isSet { throw RunInterrupted() }
    }

    func epochDidEnd(_ log: inout EpochLog, state: TrainingState) throws {
        let v = log["val_accuracy"] ?? -(log["val_loss"] ?? .infinity)
        best = max(best, v)
        try trial.report(v, step: log.epoch)
        if try trial.shouldPrune() {
            throw TrialPruned("pruned at epoch \(log.epoch) (validation accuracy \(String(format: "%.4f", v)))")
        }
        if let deadline, Date() >= deadline, log.epoch < state.epochs {
            stoppedByDeadline = true
            state.stopRequested = true
        }
    }
}

/// Records per-layer gradient norms on the last batch of every epoch (for the exploding /
/// vanishing gradient diagnosis) and writes each epoch's figures to a JSONL file shared by all
/// trials, and to the trial's TensorBoard events file.
final class TrialRecorder: Callback {
    let trialNumber: Int
    let metricsPath: URL
    let tensorBoard: TensorBoardWriter?
    private var gradientNorms: [String: Double] = [:]

    init(trialNumber: Int, metricsPath: URL, tensorBoardDirectory: URL?) throws {
        self.trialNumber = trialNumber; self.metricsPath = metricsPath
        tensorBoard = try tensorBoardDirectory.map { try TensorBoardWriter(directory: $0) }
    }

    func batchDidEnd(_ batch: Int, loss: Double, state: TrainingState) throws {
        guard batch == state.batchesPerEpoch else { return }
        gradientNorms = [:]
        for (name, p) in state.model.namedParameters where name.hasSuffix("weight") {
            guard let g = p.grad else { continue }
            let norm = g.withUnsafeBufferPointer { b in b.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot() }
            gradientNorms[name] = norm
        }
    }

    func epochDidEnd(_ log: inout EpochLog, state: TrainingState) throws {
        var record = MetricRecord(trial: trialNumber, epoch: log.epoch, values: log.values)
        record.gradientNorms = gradientNorms
        try MetricRecord.append(record, to: metricsPath)
        var scalars: [String: Double] = [:]
        for (k, v) in log.values where v.isFinite { scalars[k] = v }
        for (k, v) in gradientNorms { scalars["grad_norm/\(k)"] = v }
        try tensorBoard?.add(scalars: scalars, step: log.epoch)
    }

    func trainingDidEnd(state: TrainingState) throws { try tensorBoard?.close() }
}

/// One line of `metrics.jsonl`: a trial's figures after one epoch.
public struct MetricRecord: Codable, Sendable, Equatable {
    public var trial: Int
    public var epoch: Int
    public var values: [String: Double]
    public var gradientNorms: [String: Double] = [:]

    public init(trial: Int, epoch: Int, values: [String: Double]) {
        self.trial = trial; self.epoch = epoch; self.values = values.filter { $0.value.isFinite }
    }

    /// Appends one JSON line (with O_APPEND the line lands whole even with several writers).
    static func append(_ r: MetricRecord, to url: URL) throws {
        let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys]
        var data = try enc.encode(r); data.append(0x0A)
        if !FileManager.default.fileExists(atPath: url.path) {
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)   // a failure surfaces in FileHandle below
        }
        let h = try FileHandle(forWritingTo: url)
        defer { try? h.close() }
        try h.seekToEnd()
        try h.write(contentsOf: data)
    }

    /// Reads every record, skipping a torn last line (a crash mid-write).
    public static func readAll(_ url: URL) -> [MetricRecord] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        let dec = JSONDecoder()
        return text.split(separator: "\n").compactMap { try? dec.decode(MetricRecord.self, from: Data($0.utf8)) }
    }
}
