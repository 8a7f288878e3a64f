import Foundation
import HoneNN
import HoneTensor
import HoneTrain

/// The checkpoint of a data-parallel run: the model file (weights, BatchNorm statistics and
/// architecture; safetensors metadata `hone.epoch`) plus, next to it, the optimizer's state
/// (`model.safetensors` → `model.optimizer.safetensors`: Adam moments, momentum buffers, step
/// counts; see ``OptimizerState``), so a resumed run takes the same steps to the bit.
///
/// Rank 0 writes both after every epoch, each atomically (temporary file, fsync, rename, fsync
/// of the directory), the optimizer state first. A crash between the two renames leaves an
/// optimizer file one epoch ahead of the model; ``readOptimizerState(for:epoch:)`` refuses a
/// file whose epoch differs from the model's rather than resuming with mismatched state.
///
/// ```swift
/// try TrainingCheckpoint.save(model: net, optimizer: opt, epoch: 3, ranks: 2, to: url)
/// let state = try TrainingCheckpoint.readOptimizerState(for: url, epoch: 3)   // nil if none was saved
/// ```
public enum TrainingCheckpoint {
    /// The optimizer-state file that goes with model checkpoint `url`.
    public static func optimizerURL(for url: URL) -> URL {
        let stem = url.deletingPathExtension().lastPathComponent
        return url.deletingLastPathComponent().appendingPathComponent(stem + ".optimizer.safetensors")
    }

    /// Writes the optimizer state, then the model, both tagged with `epoch`.
    public static func save(model: any Layer, optimizer: Optimizer, epoch: Int, ranks: Int, to url: URL) throws {
        let state = optimizer.state()
        var tensors: [String: SafeTensors.Entry] = [
            "hone.step": .init(int64: [Int64(state.step)]),
            "hone.parameter_steps": .init(int64: state.parameterSteps.map(Int64.init)),
        ]
        for (key, values) in state.arrays { tensors[key] = .init(Tensor(shape: [values.count], scalars: values)) }
        let metadata = ["hone.epoch": String(epoch), "hone.ranks": String(ranks)]
        try SafeTensors(tensors: tensors, metadata: metadata.merging(["format": "hone-optimizer"]) { a, _ in a })
            .write(to: optimizerURL(for: url))
        try ModelFile.save(model, to: url, metadata: metadata)
    }

    /// The optimizer state saved with the checkpoint of `epoch` at `url`, or nil when there is no
    /// optimizer file (a checkpoint with weights only). Throws when the file cannot be read or
    /// belongs to another epoch.
    public static func readOptimizerState(for url: URL, epoch: Int) throws -> OptimizerState? {
        let file = optimizerURL(for: url)
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        let st = try SafeTensors.read(from: file)
        guard st.metadata["hone.epoch"] == String(epoch) else {
            throw TrainingError.invalidArgument(
                name: "checkpoint",
                reason: "\(file.path) is the optimizer state of epoch \(st.metadata["hone.epoch"] ?? "?"), but \(url.lastPathComponent) is epoch \(epoch); delete one of them to resume")
        }
        func int64s(_ name: String) throws -> [Int] {
            guard let e = st.tensors[name], e.dtype == .I64 else {
                throw TrainingError.invalidArgument(name: "checkpoint", reason: "\(file.path): missing I64 tensor '\(name)'")
            }
            return e.bytes.withUnsafeBytes { raw in (0..<e.bytes.count / 8).map { Int(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self))) } }
        }
        let step = try int64s("hone.step")
        guard step.count == 1 else {
            throw TrainingError.invalidArgument(name: "checkpoint", reason: "\(file.path): 'hone.step' must hold one value, has \(step.count)")
        }
        var arrays: [String: [Float]] = [:]
        for (name, entry) in st.tensors where !name.hasPrefix("hone.") {
            guard let t = entry.tensor else {
                throw TrainingError.invalidArgument(name: "checkpoint", reason: "\(file.path): '\(name)' is \(entry.dtype.rawValue), expected F32")
            }
            arrays[name] = t.withUnsafeBufferPointer { Array($0) }
        }
        return OptimizerState(step: step[0], parameterSteps: try int64s("hone.parameter_steps"), arrays: arrays)
    }
}
