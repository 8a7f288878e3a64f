import HoneNN
import HoneTensor

/// Stops training when a monitored figure has not improved by more than `minDelta` for
/// `patience` epochs (Keras `EarlyStopping`). With `restoreBest`, the parameters and buffers
/// of the best epoch are put back when training ends.
///
/// ```swift
/// let stop = EarlyStopping(monitor: "val_loss", patience: 3, minDelta: 1e-3, restoreBest: true)
/// try fit(model, optimizer: opt, data: train, epochs: 50, batchSize: 128,
///         validation: .split(fraction: 0.1), callbacks: [stop])
/// print(stop.bestEpoch ?? 0)
/// ```
public final class EarlyStopping: Callback {
    public enum Mode: Sendable { case min, max }

    public let monitor: String
    public let mode: Mode
    public let patience: Int
    public let minDelta: Double
    public let restoreBest: Bool
    /// The best value seen and its epoch.
    public private(set) var best: Double?
    public private(set) var bestEpoch: Int?
    /// The epoch after which training was stopped (nil if it ran to the end).
    public private(set) var stoppedEpoch: Int?
    private var wait = 0
    private var snapshot: (parameters: [Tensor], buffers: [Tensor])?

    /// `mode` defaults to `.max` for names containing "acc", else `.min`.
    public init(monitor: String = "val_loss", mode: Mode? = nil, patience: Int = 0, minDelta: Double = 0,
                restoreBest: Bool = false) {
        precondition(patience >= 0, "EarlyStopping: patience must be ≥ 0, got \(patience)")
        self.monitor = monitor
        self.mode = mode ?? (monitor.contains("acc") ? .max : .min)
        self.patience = patience; self.minDelta = abs(minDelta); self.restoreBest = restoreBest
    }

    public func trainingWillBegin(state: TrainingState) throws {
        best = nil; bestEpoch = nil; stoppedEpoch = nil; wait = 0; snapshot = nil
    }

    public func epochDidEnd(_ log: inout EpochLog, state: TrainingState) throws {
        guard let value = log[monitor] else {
            throw TrainingError.invalidArgument(name: "EarlyStopping.monitor",
                                                reason: "no figure named \(monitor) in the epoch log (have \(log.values.keys.sorted()))")
        }
        if improves(value) {
            best = value; bestEpoch = log.epoch; wait = 0
            if restoreBest {
                snapshot = (state.model.namedParameters.map { $0.1.value.detached() },
                            state.model.namedBuffers.map { $0.1.value })
            }
        } else {
            wait += 1
            if wait > patience {
                stoppedEpoch = log.epoch
                state.stopRequested = true
            }
        }
    }

    public func trainingDidEnd(state: TrainingState) throws {
        guard restoreBest, let snapshot else { return }
        for ((_, p), v) in zip(state.model.namedParameters, snapshot.parameters) { p.value = v }
        for ((_, b), v) in zip(state.model.namedBuffers, snapshot.buffers) { b.value = v }
    }

    private func improves(_ v: Double) -> Bool {
        guard let best else { return !v.isNaN }
        switch mode {
        case .min: return v < best - minDelta
        case .max: return v > best + minDelta
        }
    }
}
