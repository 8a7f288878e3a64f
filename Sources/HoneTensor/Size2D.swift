/// A (height, width) pair for kernel sizes, strides, padding and dilation. An integer literal
/// means the same value for both.
///
/// ```swift
/// let y = Tensor.conv2d(x, weight: w, stride: 2, padding: Size2D(1, 0))
/// ```
public struct Size2D: Hashable, Sendable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    public var h: Int
    public var w: Int

    public init(_ h: Int, _ w: Int) { self.h = h; self.w = w }
    public init(integerLiteral value: Int) { self.init(value, value) }

    public var description: String { "(\(h), \(w))" }
}
