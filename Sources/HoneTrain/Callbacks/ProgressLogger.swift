import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Shows training progress. On a terminal (`isatty`) a bar is redrawn in place, at most ten
/// times a second, with the running loss, throughput and ETA; otherwise (a log file, a pipe)
/// it prints exactly one line per epoch with every figure of the epoch log.
///
/// ```swift
/// try fit(model, optimizer: opt, data: train, epochs: 10, batchSize: 128, callbacks: [ProgressLogger()])
/// // epoch 1/10  loss 0.5012  accuracy 0.8231  val_loss 0.4101  val_accuracy 0.8544  52.3k samples/s  9.2s
/// ```
public final class ProgressLogger: Callback {
    private let handle: FileHandle
    /// Whether the bar is drawn (true when the output is a terminal, unless overridden).
    public let interactive: Bool
    private let clock = ContinuousClock()
    private var epochStart: ContinuousClock.Instant?
    private var lastDraw: ContinuousClock.Instant?
    private var lossSum = 0.0, batches = 0

    /// Writes to standard output, or to `handle`; `interactive` defaults to `isatty(handle)`.
    public init(handle: FileHandle = .standardOutput, interactive: Bool? = nil) {
        self.handle = handle
        self.interactive = interactive ?? (isatty(handle.fileDescriptor) == 1)
    }

    public func epochWillBegin(_ epoch: Int, state: TrainingState) throws {
        epochStart = clock.now; lastDraw = nil; lossSum = 0; batches = 0
    }

    public func batchDidEnd(_ batch: Int, loss: Double, state: TrainingState) throws {
        lossSum += loss; batches += 1
        guard interactive, let epochStart else { return }
        let now = clock.now
        if let lastDraw, now - lastDraw < .milliseconds(100), batch < state.batchesPerEpoch { return }
        lastDraw = now
        let elapsed = (now - epochStart).seconds
        let total = max(state.batchesPerEpoch, 1)
        let width = 24, filled = min(width, batch * width / total)
        let bar = String(repeating: "=", count: filled) + (filled < width ? ">" : "")
            + String(repeating: " ", count: max(0, width - filled - 1))
        let perBatch = elapsed / Double(max(batch, 1))
        let samples = Double(batch) * Double(state.samplesPerEpoch) / Double(total)
        let line = "\r\u{1B}[2Kepoch \(state.epoch)/\(state.epochs) [\(bar)] \(batch)/\(total)"
            + "  loss \(fixed(lossSum / Double(batches), 4))"
            + "  \(Self.rate(samples / max(elapsed, 1e-9)))"
            + "  ETA \(Self.clockTime(perBatch * Double(total - batch)))"
        emit(line)
    }

    public func epochDidEnd(_ log: inout EpochLog, state: TrainingState) throws {
        var parts = ["epoch \(log.epoch)/\(state.epochs)"]
        for key in ["loss", "accuracy", "val_loss", "val_accuracy"] {
            if let v = log[key] { parts.append("\(key) \(fixed(v, 4))") }
        }
        let known: Set = ["loss", "accuracy", "val_loss", "val_accuracy", "samples_per_s", "seconds", "learning_rate_scale"]
        for key in log.values.keys.sorted() where !known.contains(key) { parts.append("\(key) \(fixed(log[key]!, 4))") }
        if let s = log["learning_rate_scale"], s != 1 { parts.append("lr× \(fixed(s, 4))") }
        if let r = log["samples_per_s"] { parts.append(Self.rate(r)) }
        if let t = log["seconds"] { parts.append("\(fixed(t, 1))s") }
        emit((interactive ? "\r\u{1B}[2K" : "") + parts.joined(separator: "  ") + "\n")
    }

    private func emit(_ s: String) { handle.write(Data(s.utf8)) }

    private func fixed(_ v: Double, _ digits: Int) -> String {
        v.isFinite ? String(format: "%.\(digits)f", v) : "\(v)"
    }

    static func rate(_ r: Double) -> String {
        r >= 1000 ? String(format: "%.1fk samples/s", r / 1000) : String(format: "%.0f samples/s", r)
    }

    static func clockTime(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
