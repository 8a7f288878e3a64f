import HoneNN
import HoneTensor

/// Deep copies of Hone's built-in layers (architecture + every parameter and buffer value), so
/// model-rewriting methods (structured pruning, sparse conversion) never alias the input model.
enum LayerCopy {
    /// A copy of `layer` with the same weights, buffers and mode. Throws
    /// `CompressionError.unsupportedLayer` for a custom layer Hone cannot describe.
    static func clone(_ layer: any Layer, method: String, path: String) throws -> any Layer {
        let copy: any Layer
        do { copy = try Architecture(describing: layer).build(seed: 0) } catch {
            throw CompressionError.unsupportedLayer(method: method, layer: String(describing: type(of: layer)), path: path)
        }
        let params = Dictionary(uniqueKeysWithValues: layer.namedParameters.map { ($0.0, $0.1) })
        for (name, p) in copy.namedParameters {
            guard let src = params[name] else { continue }
            p.value = src.value
            p.isTrainable = src.isTrainable
        }
        let buffers = Dictionary(uniqueKeysWithValues: layer.namedBuffers.map { ($0.0, $0.1) })
        for (name, b) in copy.namedBuffers { if let src = buffers[name] { b.value = src.value } }
        copy.setTraining(layer.isTraining)
        return copy
    }
}
