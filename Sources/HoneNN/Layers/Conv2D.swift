import HoneRandom
import HoneTensor

/// How a convolution pads its input.
public enum Padding: Sendable, Equatable {
    /// No padding: the output shrinks by `dilation·(kernel − 1)`.
    case valid
    /// Output size equals input size (stride 1 only; needs an even total padding
    /// `dilation·(kernel − 1)`, i.e. an odd kernel, so both sides get the same amount).
    case same
    /// Zero padding of `h` rows above and below and `w` columns left and right.
    case explicit(Size2D)
}

/// 2-d convolution over `[N, C, H, W]` with weight `[out, in/groups, kH, kW]` and bias `[out]`,
/// as PyTorch's `nn.Conv2d` (cross-correlation; im2col + GEMM underneath).
///
/// Default initialization matches PyTorch: weight and bias U(±1/√fanIn), fanIn = in/groups·kH·kW.
///
/// ```swift
/// let conv = Conv2D(inputChannels: 1, outputChannels: 32, kernelSize: 3, seed: 1)
/// let y = conv(Tensor.zeros([8, 1, 28, 28]))   // [8, 32, 26, 26]
/// ```
public final class Conv2D: Layer {
    public let inputChannels: Int
    public let outputChannels: Int
    public let kernelSize: Size2D
    public let stride: Size2D
    public let padding: Padding
    public let dilation: Size2D
    public let groups: Int
    public let weight: Parameter
    public let bias: Parameter?
    public var isTraining = true

    public init(inputChannels: Int, outputChannels: Int, kernelSize: Size2D, stride: Size2D = 1,
                padding: Padding = .valid, dilation: Size2D = 1, groups: Int = 1, bias: Bool = true,
                weightInitializer: Initializer = .pytorchDefault, biasInitializer: Initializer = .pytorchDefault,
                generator: inout SeededGenerator) {
        precondition(inputChannels > 0 && outputChannels > 0 && groups > 0
                     && inputChannels % groups == 0 && outputChannels % groups == 0,
                     "Conv2D: channels \(inputChannels)→\(outputChannels) must be positive multiples of groups \(groups)")
        if padding == .same {
            precondition(stride == 1, "Conv2D: padding .same needs stride 1, got \(stride)")
            precondition((dilation.h * (kernelSize.h - 1)) % 2 == 0 && (dilation.w * (kernelSize.w - 1)) % 2 == 0,
                         "Conv2D: padding .same needs an odd kernel (got \(kernelSize), dilation \(dilation))")
        }
        self.inputChannels = inputChannels; self.outputChannels = outputChannels
        self.kernelSize = kernelSize; self.stride = stride; self.padding = padding
        self.dilation = dilation; self.groups = groups
        let shape = [outputChannels, inputChannels / groups, kernelSize.h, kernelSize.w]
        let fans = Initializer.fans(of: shape)
        weight = Parameter(weightInitializer.make(shape: shape, fans: fans, generator: &generator))
        self.bias = bias ? Parameter(biasInitializer.make(shape: [outputChannels], fans: fans, generator: &generator)) : nil
    }

    public convenience init(inputChannels: Int, outputChannels: Int, kernelSize: Size2D, stride: Size2D = 1,
                            padding: Padding = .valid, dilation: Size2D = 1, groups: Int = 1, bias: Bool = true,
                            weightInitializer: Initializer = .pytorchDefault,
                            biasInitializer: Initializer = .pytorchDefault, seed: UInt64 = 0) {
        var g = SeededGenerator(seed: seed)
        self.init(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: kernelSize,
                  stride: stride, padding: padding, dilation: dilation, groups: groups, bias: bias,
                  weightInitializer: weightInitializer, biasInitializer: biasInitializer, generator: &g)
    }

    public var parameters: [(String, Parameter)] {
        if let bias { return [("weight", weight), ("bias", bias)] }
        return [("weight", weight)]
    }

    /// The symmetric zero padding this layer applies.
    public var paddingAmount: Size2D {
        switch padding {
        case .valid: return 0
        case .same: return Size2D(dilation.h * (kernelSize.h - 1) / 2, dilation.w * (kernelSize.w - 1) / 2)
        case .explicit(let p): return p
        }
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.rank == 4 && x.shape[1] == inputChannels,
                     "Conv2D: input \(x.shape) does not match [N, \(inputChannels), H, W]")
        return Tensor.conv2d(x, weight: weight.value, bias: bias?.value, stride: stride,
                             padding: paddingAmount, dilation: dilation, groups: groups)
    }
}
