import HoneTensor

/// Layers applied one after another. Children are named `"0"`, `"1"`, … (as in PyTorch's
/// `nn.Sequential`) or by the names given, so parameters read `"0.weight"` or `"conv1.weight"`.
///
/// ```swift
/// let mlp = Sequential(Dense(inputSize: 784, outputSize: 256), ReLU(), Dense(inputSize: 256, outputSize: 10))
/// let named = Sequential(named: [("conv1", Conv2D(inputChannels: 1, outputChannels: 8, kernelSize: 3)),
///                                ("relu", ReLU())])
/// print(named.namedParameters.map(\.0))   // ["conv1.weight", "conv1.bias"]
/// ```
public final class Sequential: Layer {
    /// The layers with their names, in application order.
    public private(set) var layers: [(name: String, layer: any Layer)]
    public var isTraining = true

    public init(_ layers: [any Layer]) {
        self.layers = layers.enumerated().map { (String($0.offset), $0.element) }
    }

    public convenience init(_ layers: any Layer...) { self.init(layers) }

    public init(named layers: [(String, any Layer)]) {
        var seen = Set<String>()
        for (name, _) in layers {
            precondition(!name.isEmpty && !name.contains(".") && seen.insert(name).inserted,
                         "Sequential: layer names must be unique, non-empty and free of '.', got \(layers.map(\.0))")
        }
        self.layers = layers.map { (name: $0.0, layer: $0.1) }
    }

    /// Appends a layer named by its position (or `name`).
    public func append(_ layer: any Layer, name: String? = nil) {
        let n = name ?? String(layers.count)
        precondition(!n.isEmpty && !n.contains(".") && !layers.contains { $0.name == n },
                     "Sequential.append: name \(n) is empty, contains '.', or is taken")
        layers.append((n, layer))
    }

    public var children: [(String, any Module)] { layers.map { ($0.name, $0.layer as any Module) } }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        var h = x
        for (_, layer) in layers { h = layer(h) }
        return h
    }
}
