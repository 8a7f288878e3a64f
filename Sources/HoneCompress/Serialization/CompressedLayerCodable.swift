import HoneNN

/// A compressed layer type that `CompressedModelFile` can save and load (e.g. `SparseDense`;
/// quantized layers): it describes itself by a `kind`, a few integer `settings` (sizes,
/// flags) and named tensors (any safetensors dtype), and rebuilds itself from them. Add new
/// types to `CompressedModelFile.layerTypes`.
///
/// ```swift
/// extension MyLayer: CompressedLayerCodable {
///     static var kind: String { "myLayer" }
///     var settings: [String: Int] { ["in": inputSize] }
///     var tensors: [String: SafeTensors.Entry] { ["weight": .init(weightTensor)] }
///     static func decode(settings: [String: Int], tensors: [String: SafeTensors.Entry], path: String) throws -> MyLayer { … }
/// }
/// ```
public protocol CompressedLayerCodable: Layer {
    /// The JSON key naming this layer type in the file's layer list.
    static var kind: String { get }
    /// Integer settings (sizes, flags).
    var settings: [String: Int] { get }
    /// The layer's data, by local name (stored as `"<layer path>.<name>"`).
    var tensors: [String: SafeTensors.Entry] { get }
    /// Rebuilds the layer; throws `CompressionError.badModelFile` naming `path` when an entry is
    /// missing or inconsistent.
    static func decode(settings: [String: Int], tensors: [String: SafeTensors.Entry], path: String) throws -> Self
}
