import HoneTensor

/// The window geometry shared by ``MaxPool2D`` and ``AvgPool2D``: kernel, stride (defaults to
/// the kernel size, as in PyTorch) and zero padding of at most half the kernel. Not used
/// directly.
///
/// ```swift
/// let pool: Pool2DLayer = MaxPool2D(kernelSize: 3, stride: 2, padding: 1)
/// print(pool.stride)   // (2, 2)
/// ```
public class Pool2DLayer {
    public let kernelSize: Size2D
    public let stride: Size2D
    public let padding: Size2D
    public var isTraining = true

    public init(kernelSize: Size2D, stride: Size2D? = nil, padding: Size2D = 0) {
        self.kernelSize = kernelSize; self.stride = stride ?? kernelSize; self.padding = padding
    }
}

/// 2-d max pooling over `[N, C, H, W]` (stride defaults to the kernel size, as in PyTorch).
///
/// ```swift
/// let pool = MaxPool2D(kernelSize: 2)   // [N, C, 24, 24] → [N, C, 12, 12]
/// ```
public final class MaxPool2D: Pool2DLayer, Layer {
    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.maxPool2d(kernel: kernelSize, stride: stride, padding: padding)
    }
}

/// 2-d average pooling over `[N, C, H, W]` (stride defaults to the kernel size).
///
/// ```swift
/// let pool = AvgPool2D(kernelSize: 2)
/// ```
public final class AvgPool2D: Pool2DLayer, Layer {
    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.avgPool2d(kernel: kernelSize, stride: stride, padding: padding)
    }
}

/// Mean over the spatial axes: `[N, C, H, W]` → `[N, C]` (Keras' `GlobalAveragePooling2D`,
/// PyTorch's `AdaptiveAvgPool2d(1)` followed by a flatten).
///
/// ```swift
/// let features = GlobalAvgPool()(Tensor.zeros([8, 64, 8, 8]))   // [8, 64]
/// ```
public final class GlobalAvgPool: Layer {
    public var isTraining = true
    public init() {}
    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.rank == 4, "GlobalAvgPool: input must be [N, C, H, W], got \(x.shape)")
        return x.mean(axes: [2, 3])
    }
}
