import HoneRandom
import HoneTensor

/// Ready-made architectures. Every builder takes a seed; layers draw their initial weights from
/// one generator in construction order, so the same seed gives the same model.
///
/// ```swift
/// let model = Models.cnn(seed: 42)
/// print(model.summary(inputShape: [1, 28, 28]))   // 225,034 parameters
/// ```
public enum Models {}

extension Models {
    /// Issue 3's reference MLP for Fashion-MNIST: 784-256-128-10 with ReLU (235,146 parameters).
    /// Input `[N, 784]` (or `[N, 1, 28, 28]`, flattened first).
    public static func mlp(seed: UInt64 = 0) -> Sequential {
        var g = SeededGenerator(seed: seed)
        return Sequential(
            Flatten(),
            Dense(inputSize: 784, outputSize: 256, generator: &g), ReLU(),
            Dense(inputSize: 256, outputSize: 128, generator: &g), ReLU(),
            Dense(inputSize: 128, outputSize: 10, generator: &g))
    }

    /// Issue 3's reference CNN: conv 3×3 32 (valid) → ReLU → maxpool 2 → conv 3×3 64 (valid) → ReLU
    /// → maxpool 2 → flatten (1600) → dense 128 → ReLU → dense 10 (225,034 parameters).
    /// Input `[N, 1, 28, 28]`.
    public static func cnn(seed: UInt64 = 0) -> Sequential {
        var g = SeededGenerator(seed: seed)
        return Sequential(
            Conv2D(inputChannels: 1, outputChannels: 32, kernelSize: 3, generator: &g), ReLU(), MaxPool2D(kernelSize: 2),
            Conv2D(inputChannels: 32, outputChannels: 64, kernelSize: 3, generator: &g), ReLU(), MaxPool2D(kernelSize: 2),
            Flatten(),
            Dense(inputSize: 1600, outputSize: 128, generator: &g), ReLU(),
            Dense(inputSize: 128, outputSize: 10, generator: &g))
    }

    /// Issue 3's reference LSTM: each 28×28 image read as 28 rows of 28 pixels, LSTM(128) → dense 10
    /// (81,674 parameters). Input `[N, 1, 28, 28]`, `[N, 784]` or `[N, 28, 28]`.
    public static func lstm(seed: UInt64 = 0) -> Sequential {
        var g = SeededGenerator(seed: seed)
        return Sequential(
            Reshape([28, 28]),
            LSTM(inputSize: 28, hiddenSize: 128, generator: &g),
            Dense(inputSize: 128, outputSize: 10, generator: &g))
    }

    /// The wider Fashion-MNIST CNN with BatchNorm and dropout (target ≥ 92.5% in 15 epochs):
    /// two VGG-style stages of two 3×3 "same" convolutions with BatchNorm and ReLU, each closed by
    /// 2×2 max pooling and dropout 0.25 (widths 32·w, 64·w), then dense 256·w with BatchNorm1d,
    /// ReLU and dropout 0.5, and dense 10. Convolutions before BatchNorm have no bias (BN's β
    /// replaces it). Input `[N, 1, 28, 28]`.
    public static func wideCNN(width: Int = 1, seed: UInt64 = 0) -> Sequential {
        precondition(width > 0, "Models.wideCNN: width must be positive, got \(width)")
        var g = SeededGenerator(seed: seed)
        let c1 = 32 * width, c2 = 64 * width, d = 256 * width
        func convBN(_ i: Int, _ o: Int) -> [any Layer] {
            [Conv2D(inputChannels: i, outputChannels: o, kernelSize: 3, padding: .same, bias: false, generator: &g),
             BatchNorm2d(o), ReLU()]
        }
        var layers: [any Layer] = []
        layers += convBN(1, c1) + convBN(c1, c1)
        layers += [MaxPool2D(kernelSize: 2), Dropout(rate: 0.25, seed: seed &+ 1)]
        layers += convBN(c1, c2) + convBN(c2, c2)
        layers += [MaxPool2D(kernelSize: 2), Dropout(rate: 0.25, seed: seed &+ 2), Flatten()]
        layers += [Dense(inputSize: c2 * 7 * 7, outputSize: d, bias: false, generator: &g), BatchNorm1d(d), ReLU(),
                   Dropout(rate: 0.5, seed: seed &+ 3), Dense(inputSize: d, outputSize: 10, generator: &g)]
        return Sequential(layers)
    }
}
