import Foundation
import HoneNN

/// Saves the model after epochs, as safetensors through ``ModelFile`` (atomic: temporary file,
/// fsync, rename). `{epoch}` in the path is replaced by the epoch number. With `monitor` and
/// `saveBestOnly`, only epochs that improve the monitored figure are saved (Keras
/// `ModelCheckpoint`). The metadata records the epoch and the epoch log's figures.
///
/// ```swift
/// let best = ModelCheckpoint(path: "runs/best.safetensors", monitor: "val_accuracy", saveBestOnly: true)
/// try fit(model, optimizer: opt, data: train, epochs: 20, batchSize: 128,
///         validation: .split(fraction: 0.1), callbacks: [best])
/// try ModelFile.loadWeights(into: model, from: URL(fileURLWithPath: "runs/best.safetensors"))
/// ```
public final class ModelCheckpoint: Callback {
    public let path: String
    public let monitor: String?
    public let mode: EarlyStopping.Mode
    public let saveBestOnly: Bool
    /// Also store the architecture JSON (`ModelFile.save`), so `ModelFile.load` can rebuild the
    /// model; needs a model made of Hone's built-in layers.
    public let includeArchitecture: Bool
    /// Paths written so far, in order.
    public private(set) var savedPaths: [String] = []
    /// The best monitored value saved so far.
    public private(set) var best: Double?

    public init(path: String, monitor: String? = nil, mode: EarlyStopping.Mode? = nil, saveBestOnly: Bool = false,
                includeArchitecture: Bool = false) {
        precondition(!saveBestOnly || monitor != nil, "ModelCheckpoint: saveBestOnly needs a monitor")
        self.path = path; self.monitor = monitor
        self.mode = mode ?? ((monitor ?? "").contains("acc") ? .max : .min)
        self.saveBestOnly = saveBestOnly; self.includeArchitecture = includeArchitecture
    }

    public func trainingWillBegin(state: TrainingState) throws { savedPaths = []; best = nil }

    public func epochDidEnd(_ log: inout EpochLog, state: TrainingState) throws {
        if let monitor {
            guard let value = log[monitor] else {
                throw TrainingError.invalidArgument(name: "ModelCheckpoint.monitor",
                                                    reason: "no figure named \(monitor) in the epoch log (have \(log.values.keys.sorted()))")
            }
            let better = best.map { mode == .min ? value < $0 : value > $0 } ?? !value.isNaN
            if better { best = value } else if saveBestOnly { return }
        }
        let target = path.replacingOccurrences(of: "{epoch}", with: String(log.epoch))
        var metadata = ["epoch": String(log.epoch)]
        for (k, v) in log.values { metadata[k] = String(v) }
        let url = URL(fileURLWithPath: target)
        do {
            if includeArchitecture {
                try ModelFile.save(state.model, to: url, metadata: metadata)
            } else {
                try ModelFile.saveWeights(state.model, to: url, metadata: metadata)
            }
        } catch {
            throw TrainingError.fileWriteFailed(path: target, reason: "\(error)")
        }
        savedPaths.append(target)
    }
}
