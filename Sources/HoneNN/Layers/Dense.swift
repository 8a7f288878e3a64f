import HoneRandom
import HoneTensor

/// Fully connected layer `y = x·Wᵀ + b` in PyTorch's layout (`weight` [out, in], `bias` [out]),
/// also known as Linear. Input `[..., inputSize]`, output `[..., outputSize]`.
///
/// Default initialization matches PyTorch's `nn.Linear`: weight and bias U(±1/√inputSize)
/// (kaiming_uniform with a = √5). Pass `weightInitializer: .glorotUniform()` and
/// `biasInitializer: .zeros` for Keras' `Dense`.
///
/// ```swift
/// let fc = Dense(inputSize: 784, outputSize: 256, seed: 1)
/// let h = fc(Tensor.zeros([128, 784]))   // [128, 256]
/// ```
public final class Dense: Layer {
    public let inputSize: Int
    public let outputSize: Int
    public let weight: Parameter
    public let bias: Parameter?
    public var isTraining = true

    public init(inputSize: Int, outputSize: Int, bias: Bool = true,
                weightInitializer: Initializer = .pytorchDefault, biasInitializer: Initializer = .pytorchDefault,
                generator: inout SeededGenerator) {
        precondition(inputSize > 0 && outputSize > 0, "Dense: sizes must be positive, got \(inputSize)→\(outputSize)")
        self.inputSize = inputSize
        self.outputSize = outputSize
        let fans = (inputSize, outputSize)
        weight = Parameter(weightInitializer.make(shape: [outputSize, inputSize], fans: fans, generator: &generator))
        self.bias = bias ? Parameter(biasInitializer.make(shape: [outputSize], fans: fans, generator: &generator)) : nil
    }

    public convenience init(inputSize: Int, outputSize: Int, bias: Bool = true,
                            weightInitializer: Initializer = .pytorchDefault,
                            biasInitializer: Initializer = .pytorchDefault, seed: UInt64 = 0) {
        var g = SeededGenerator(seed: seed)
        self.init(inputSize: inputSize, outputSize: outputSize, bias: bias, weightInitializer: weightInitializer,
                  biasInitializer: biasInitializer, generator: &g)
    }

    public var parameters: [(String, Parameter)] {
        if let bias { return [("weight", weight), ("bias", bias)] }
        return [("weight", weight)]
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        Tensor.linear(x, weight: weight.value, bias: bias?.value)
    }
}

/// PyTorch's name for `Dense`.
public typealias Linear = Dense
