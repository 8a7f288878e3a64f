import HoneTensor

/// A residual connection (He et al., arXiv:1512.03385): `body(x) + shortcut(x)`, where the
/// shortcut is the identity unless a projection (typically a 1×1 strided `Conv2D` + `BatchNorm2d`)
/// is given to match shapes. Put the block's final activation after it in a `Sequential`.
///
/// ```swift
/// let block = Residual(Sequential(Conv2D(inputChannels: 16, outputChannels: 16, kernelSize: 3, padding: .same),
///                                 BatchNorm2d(16)))
/// let y = ReLU()(block(x))
/// ```
public final class Residual: Layer {
    public let body: any Layer
    public let shortcut: (any Layer)?
    public var isTraining = true

    public init(_ body: any Layer, shortcut: (any Layer)? = nil) {
        self.body = body
        self.shortcut = shortcut
    }

    public var children: [(String, any Module)] {
        if let shortcut { return [("body", body), ("shortcut", shortcut)] }
        return [("body", body)]
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let y = body(x), s = shortcut.map { $0(x) } ?? x
        precondition(y.shape == s.shape, "Residual: body output \(y.shape) and shortcut output \(s.shape) differ")
        return y + s
    }
}
