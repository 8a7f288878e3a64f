import HoneRandom
import HoneTensor

extension Models {
    /// LeNet-5 (LeCun et al., Proc. IEEE 1998) for 28×28 single-channel input, in its common
    /// modern form: conv 5×5 6 (same) → tanh → avgpool 2 → conv 5×5 16 → tanh → avgpool 2 →
    /// flatten (400) → dense 120 → tanh → dense 84 → tanh → dense `classes` (61,706 parameters
    /// for 10 classes). Input `[N, 1, 28, 28]`.
    public static func leNet5(classes: Int = 10, seed: UInt64 = 0) -> Sequential {
        var g = SeededGenerator(seed: seed)
        return Sequential(
            Conv2D(inputChannels: 1, outputChannels: 6, kernelSize: 5, padding: .same, generator: &g), Tanh(),
            AvgPool2D(kernelSize: 2),
            Conv2D(inputChannels: 6, outputChannels: 16, kernelSize: 5, generator: &g), Tanh(), AvgPool2D(kernelSize: 2),
            Flatten(),
            Dense(inputSize: 400, outputSize: 120, generator: &g), Tanh(),
            Dense(inputSize: 120, outputSize: 84, generator: &g), Tanh(),
            Dense(inputSize: 84, outputSize: classes, generator: &g))
    }

    /// The VGG depths of Simonyan & Zisserman (arXiv:1409.1556), configurations A (11) and D (16).
    public enum VGGDepth: Int, Sendable, CaseIterable {
        case vgg11 = 11, vgg16 = 16

        /// Channel counts per convolution, 0 for a 2×2 max pool.
        var configuration: [Int] {
            switch self {
            case .vgg11: return [64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0]
            case .vgg16: return [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0]
            }
        }
    }

    /// VGG-11/16 for CIFAR-sized input `[N, 3, 32, 32]` (the common CIFAR variant: 3×3 "same"
    /// convolutions with BatchNorm and ReLU, five 2×2 max pools down to 1×1, then a linear
    /// classifier). `widthMultiplier` scales every channel count (0.25 gives 16…128 channels).
    public static func vgg(_ depth: VGGDepth, widthMultiplier: Float = 1, classes: Int = 10,
                           inputChannels: Int = 3, seed: UInt64 = 0) -> Sequential {
        precondition(widthMultiplier > 0, "Models.vgg: widthMultiplier must be positive, got \(widthMultiplier)")
        var g = SeededGenerator(seed: seed)
        var layers: [any Layer] = []
        var channels = inputChannels
        for v in depth.configuration {
            if v == 0 { layers.append(MaxPool2D(kernelSize: 2)); continue }
            let o = max(1, Int((Float(v) * widthMultiplier).rounded()))
            layers += [Conv2D(inputChannels: channels, outputChannels: o, kernelSize: 3, padding: .same, bias: false,
                              generator: &g), BatchNorm2d(o), ReLU()]
            channels = o
        }
        layers += [Flatten(), Dense(inputSize: channels, outputSize: classes, generator: &g)]
        return Sequential(layers)
    }

    /// A CIFAR ResNet (He et al., arXiv:1512.03385 §4.2): a 3×3 conv with 16·w channels, three
    /// stages of `blocksPerStage` basic blocks (widths 16·w, 32·w, 64·w; the first block of stages
    /// 2 and 3 has stride 2 and a 1×1 conv + BN projection shortcut), global average pooling and a
    /// linear classifier. Depth = 6·blocksPerStage + 2: 1 → ResNet-8, 3 → ResNet-20.
    /// Input `[N, inputChannels, H, W]`.
    public static func resNet(blocksPerStage: Int = 3, width: Int = 1, classes: Int = 10,
                              inputChannels: Int = 3, seed: UInt64 = 0) -> Sequential {
        precondition(blocksPerStage > 0 && width > 0, "Models.resNet: blocksPerStage and width must be positive")
        var g = SeededGenerator(seed: seed)
        func conv(_ i: Int, _ o: Int, _ k: Int, _ s: Int) -> Conv2D {
            Conv2D(inputChannels: i, outputChannels: o, kernelSize: Size2D(k, k), stride: Size2D(s, s),
                   padding: .explicit(Size2D(k / 2, k / 2)), bias: false, weightInitializer: .heNormal(mode: .fanOut),
                   generator: &g)
        }
        var layers: [any Layer] = [conv(inputChannels, 16 * width, 3, 1), BatchNorm2d(16 * width), ReLU()]
        var channels = 16 * width
        for (stage, base) in [16, 32, 64].enumerated() {
            let o = base * width
            for block in 0..<blocksPerStage {
                let stride = stage > 0 && block == 0 ? 2 : 1
                let body = Sequential(named: [("conv1", conv(channels, o, 3, stride)), ("bn1", BatchNorm2d(o)), ("relu", ReLU()),
                                              ("conv2", conv(o, o, 3, 1)), ("bn2", BatchNorm2d(o))])
                let shortcut: (any Layer)? = stride != 1 || channels != o
                    ? Sequential(named: [("conv", conv(channels, o, 1, stride)), ("bn", BatchNorm2d(o))]) : nil
                layers += [Residual(body, shortcut: shortcut), ReLU()]
                channels = o
            }
        }
        layers += [GlobalAvgPool(), Dense(inputSize: channels, outputSize: classes, generator: &g)]
        return Sequential(layers)
    }
}
