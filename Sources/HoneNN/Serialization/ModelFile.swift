import Foundation
import HoneTensor

/// Saving and loading whole models: one safetensors file holding every parameter and buffer
/// (F32, under its dotted name, e.g. `"0.weight"`, `"3.running_mean"`) with the architecture JSON
/// in the `__metadata__` entry `"hone.architecture"` (so Python's `safetensors.torch.load_file`
/// reads the weights directly). Writes are atomic.
///
/// ```swift
/// let model = Models.cnn(seed: 1)
/// try ModelFile.save(model, to: URL(fileURLWithPath: "cnn.safetensors"))
/// let same = try ModelFile.load(from: URL(fileURLWithPath: "cnn.safetensors"))   // identical predictions
/// ```
public enum ModelFile {
    /// Metadata key of the architecture JSON.
    public static let architectureKey = "hone.architecture"

    /// The model's parameters and buffers as safetensors entries (no architecture).
    public static func stateDict(of model: any Module) -> SafeTensors {
        var tensors: [String: SafeTensors.Entry] = [:]
        for (name, p) in model.namedParameters { tensors[name] = .init(p.value) }
        for (name, b) in model.namedBuffers { tensors[name] = .init(b.value) }
        return SafeTensors(tensors: tensors, metadata: ["format": "pt"])
    }

    /// Saves weights and architecture atomically. Throws `Architecture.UnsupportedLayer` for a
    /// model with custom layers (save those with `saveWeights`).
    public static func save(_ model: any Layer, to url: URL, metadata: [String: String] = [:]) throws {
        var file = stateDict(of: model)
        let json = try Architecture(describing: model).jsonData()
        file.metadata.merge(metadata) { _, new in new }
        file.metadata[architectureKey] = String(decoding: json, as: UTF8.self)
        try file.write(to: url)
    }

    /// Saves only the weights (any module, including custom ones).
    public static func saveWeights(_ model: any Module, to url: URL, metadata: [String: String] = [:]) throws {
        var file = stateDict(of: model)
        file.metadata.merge(metadata) { _, new in new }
        try file.write(to: url)
    }

    /// Rebuilds the model from the architecture and loads its weights; the result predicts
    /// exactly as the saved model did. It starts in evaluation mode.
    public static func load(from url: URL) throws -> any Layer {
        let file = try SafeTensors.read(from: url)
        guard let text = file.metadata[architectureKey] else {
            throw SafeTensorsError.invalidArchitecture(file: url.path, reason: "no '\(architectureKey)' metadata entry")
        }
        let model: any Layer
        do { model = try Architecture.decode(Data(text.utf8)).build(seed: 0) } catch {
            throw SafeTensorsError.invalidArchitecture(file: url.path, reason: "\(error)")
        }
        try loadState(file, into: model, file: url.path)
        model.setTraining(false)
        return model
    }

    /// Loads weights saved by `save` or `saveWeights` (or PyTorch's `save_file(model.state_dict())`
    /// for a model with the same names) into an existing model. With `strict`, every parameter and
    /// buffer must be present and no other tensor may be in the file.
    public static func loadWeights(into model: any Module, from url: URL, strict: Bool = true) throws {
        try loadState(try SafeTensors.read(from: url), into: model, file: url.path, strict: strict)
    }

    static func loadState(_ file: SafeTensors, into model: any Module, file path: String, strict: Bool = true) throws {
        var targets: [(String, [Int], (Tensor) -> Void)] = []
        for (name, p) in model.namedParameters { targets.append((name, p.shape, { p.value = $0 })) }
        for (name, b) in model.namedBuffers { targets.append((name, b.value.shape, { b.value = $0 })) }
        var loaded: [(Tensor, (Tensor) -> Void)] = []
        for (name, shape, set) in targets {
            guard let entry = file.tensors[name] else {
                if strict { throw SafeTensorsError.mismatch(file: path, name: name, reason: "missing from the file") }
                continue
            }
            guard let t = entry.tensor else {
                throw SafeTensorsError.mismatch(file: path, name: name, reason: "dtype \(entry.dtype.rawValue), expected F32")
            }
            guard t.shape == shape else {
                throw SafeTensorsError.mismatch(file: path, name: name, reason: "shape \(t.shape), the model expects \(shape)")
            }
            loaded.append((t, set))
        }
        if strict {
            let known = Set(targets.map(\.0))
            if let extra = file.tensors.keys.sorted().first(where: { !known.contains($0) }) {
                throw SafeTensorsError.mismatch(file: path, name: extra, reason: "not a parameter or buffer of the model")
            }
        }
        for (t, set) in loaded { set(t) }   // all checks passed: no half-loaded model
    }
}
