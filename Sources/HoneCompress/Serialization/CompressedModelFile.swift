import Foundation
import HoneNN
import HoneTensor

/// Saving and loading compressed models: a safetensors file like `ModelFile`'s, whose
/// `__metadata__` entry `"hone.compressed"` lists the top-level layers of the `Sequential` —
/// each either a standard layer (its `Architecture` JSON; weights as F32 under
/// `"<name>.<param>"`) or a compressed layer type from `layerTypes` (`kind`, integer
/// `settings`, and its own tensors, e.g. CSR arrays for `SparseDense`). Pruned models therefore
/// shrink on disk: no dense zeros are stored. When every layer is standard, the file also
/// carries `"hone.architecture"`, so `ModelFile.load` reads it too. Int8 models
/// (`QuantizedSequential`) are delegated to `QuantizedModelFile`. Writes are atomic, and every
/// check runs before anything is written.
///
/// ```swift
/// let fast = try Pruning.sparsify(prunedMLP)
/// try CompressedModelFile.save(fast, to: URL(fileURLWithPath: "mlp-sparse.safetensors"))
/// let back = try CompressedModelFile.load(from: URL(fileURLWithPath: "mlp-sparse.safetensors"))
/// ```
public enum CompressedModelFile {
    /// Metadata key of the layer list.
    public static let layersKey = "hone.compressed"

    /// The compressed layer types files may contain (add quantized layer types here).
    public nonisolated(unsafe) static let layerTypes: [any CompressedLayerCodable.Type] = [SparseDense.self]

    struct Entry: Codable {
        var name: String
        var architecture: Architecture?
        var kind: String?
        var settings: [String: Int]?
    }

    /// The file contents for `model` (a `Sequential`, or any standard layer) without writing it.
    public static func encode(_ model: any Layer) throws -> SafeTensors {
        if let q = model as? QuantizedSequential { return try QuantizedModelFile.encode(q) }
        let top: [(name: String, layer: any Layer)]
        if let s = model as? Sequential { top = s.layers } else { top = [("0", model)] }
        var entries: [Entry] = []
        var tensors: [String: SafeTensors.Entry] = [:]
        var allStandard = model is Sequential
        for (name, layer) in top {
            if let c = layer as? any CompressedLayerCodable {
                allStandard = false
                entries.append(Entry(name: name, kind: type(of: c).kind, settings: c.settings))
                for (k, v) in c.tensors { tensors["\(name).\(k)"] = v }
                continue
            }
            let arch: Architecture
            do { arch = try Architecture(describing: layer) } catch {
                throw CompressionError.unsupportedLayer(method: "saving a compressed model", layer: String(describing: type(of: layer)), path: name)
            }
            entries.append(Entry(name: name, architecture: arch))
            for (k, p) in layer.namedParameters { tensors["\(name).\(k)"] = .init(p.value) }
            for (k, b) in layer.namedBuffers { tensors["\(name).\(k)"] = .init(b.value) }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var metadata = ["format": "pt", layersKey: String(decoding: try encoder.encode(entries), as: UTF8.self)]
        if allStandard, let json = try? Architecture(describing: model).jsonData() {
            metadata[ModelFile.architectureKey] = String(decoding: json, as: UTF8.self)
        }
        return SafeTensors(tensors: tensors, metadata: metadata)
    }

    /// Saves `model` atomically; throws `CompressionError.unsupportedLayer` (nothing written) for
    /// a layer that is neither standard nor in `layerTypes`, `.writeFailed` if writing fails.
    public static func save(_ model: any Layer, to url: URL) throws {
        let file = try encode(model)
        do { try file.write(to: url) } catch { throw CompressionError.writeFailed(path: url.path, reason: "\(error)") }
    }

    /// Size in bytes of the file `save` would write.
    public static func byteCount(of model: any Layer) throws -> Int { try encode(model).encoded().count }

    /// Loads a file written by `save` (or a plain `ModelFile`), in evaluation mode.
    public static func load(from url: URL) throws -> any Layer {
        let file: SafeTensors
        do { file = try SafeTensors.read(from: url) } catch {
            throw CompressionError.badModelFile(path: url.path, reason: "\(error)")
        }
        if file.metadata[QuantizedModelFile.metadataKey] != nil { return try QuantizedModelFile.load(from: url) }
        guard let text = file.metadata[layersKey] else {
            do { return try ModelFile.load(from: url) } catch {
                throw CompressionError.badModelFile(path: url.path, reason: "\(error)")
            }
        }
        let entries: [Entry]
        do { entries = try JSONDecoder().decode([Entry].self, from: Data(text.utf8)) } catch {
            throw CompressionError.badModelFile(path: url.path, reason: "\(layersKey) metadata is not a valid layer list: \(error)")
        }
        var layers: [(String, any Layer)] = []
        for e in entries {
            let prefix = e.name + "."
            var own: [String: SafeTensors.Entry] = [:]
            for (k, v) in file.tensors where k.hasPrefix(prefix) { own[String(k.dropFirst(prefix.count))] = v }
            if let arch = e.architecture {
                let layer: any Layer
                do { layer = try arch.build(seed: 0) } catch {
                    throw CompressionError.badModelFile(path: url.path, reason: "layer \(e.name): \(error)")
                }
                for (k, p) in layer.namedParameters {
                    guard let t = own[k]?.tensor, t.shape == p.shape else {
                        throw CompressionError.badModelFile(path: url.path, reason: "\(prefix)\(k): missing or not F32 \(p.shape)")
                    }
                    p.value = t
                }
                for (k, b) in layer.namedBuffers {
                    guard let t = own[k]?.tensor, t.shape == b.value.shape else {
                        throw CompressionError.badModelFile(path: url.path, reason: "\(prefix)\(k): missing or not F32 \(b.value.shape)")
                    }
                    b.value = t
                }
                layers.append((e.name, layer))
            } else if let kind = e.kind {
                guard let type = layerTypes.first(where: { $0.kind == kind }) else {
                    throw CompressionError.badModelFile(path: url.path, reason: "layer \(e.name): unknown compressed layer kind \"\(kind)\"")
                }
                layers.append((e.name, try type.decode(settings: e.settings ?? [:], tensors: own, path: "\(url.path): layer \(e.name)")))
            } else {
                throw CompressionError.badModelFile(path: url.path, reason: "layer \(e.name) has neither an architecture nor a kind")
            }
        }
        let model = Sequential(named: layers)
        model.setTraining(false)
        return model
    }
}
