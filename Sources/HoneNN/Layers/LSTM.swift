import HoneRandom
import HoneTensor

/// A single-layer LSTM (Hochreiter & Schmidhuber 1997) with PyTorch's `nn.LSTM(batch_first=True)`
/// equations, gate order i|f|g|o and parameter names (`weight_ih_l0` [4H, F], `weight_hh_l0`
/// [4H, H], `bias_ih_l0`, `bias_hh_l0`), all initialized U(±1/√H) like PyTorch.
///
/// Input `[batch, sequence, features]`; output the last hidden state `[batch, H]`, or every
/// hidden state `[batch, sequence, H]` with `returnSequences`. Initial states are zero.
/// `Tensor.lstm` runs the whole layer as one op (per step: the input and recurrent GEMMs and
/// fused gate math; fused back-propagation through time).
///
/// ```swift
/// let lstm = LSTM(inputSize: 28, hiddenSize: 128, seed: 1)
/// let last = lstm(Tensor.zeros([64, 28, 28]))   // [64, 128]
/// ```
public final class LSTM: Layer {
    public let inputSize: Int
    public let hiddenSize: Int
    public let returnSequences: Bool
    public let weightIH: Parameter
    public let weightHH: Parameter
    public let biasIH: Parameter
    public let biasHH: Parameter
    public var isTraining = true

    public init(inputSize: Int, hiddenSize: Int, returnSequences: Bool = false,
                initializer: Initializer? = nil, recurrentInitializer: Initializer? = nil,
                generator: inout SeededGenerator) {
        self.inputSize = inputSize; self.hiddenSize = hiddenSize; self.returnSequences = returnSequences
        let p = RecurrentParameters(layer: "LSTM", gates: 4, inputSize: inputSize, hiddenSize: hiddenSize,
                                    initializer: initializer, recurrentInitializer: recurrentInitializer, generator: &generator)
        weightIH = p.weightIH; weightHH = p.weightHH; biasIH = p.biasIH; biasHH = p.biasHH
    }

    public convenience init(inputSize: Int, hiddenSize: Int, returnSequences: Bool = false,
                            initializer: Initializer? = nil, recurrentInitializer: Initializer? = nil, seed: UInt64 = 0) {
        var g = SeededGenerator(seed: seed)
        self.init(inputSize: inputSize, hiddenSize: hiddenSize, returnSequences: returnSequences,
                  initializer: initializer, recurrentInitializer: recurrentInitializer, generator: &g)
    }

    public var parameters: [(String, Parameter)] {
        RecurrentParameters.named(weightIH, weightHH, biasIH, biasHH)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.rank == 3 && x.shape[2] == inputSize && x.shape[1] > 0,
                     "LSTM: input \(x.shape) does not match [batch, sequence > 0, \(inputSize)]")
        let hs = Tensor.lstm(input: x, weightIH: weightIH.value, weightHH: weightHH.value,
                             bias: biasIH.value + biasHH.value)   // [T, B, H]
        return returnSequences ? hs.permuted([1, 0, 2]) : hs.select(axis: 0, index: x.shape[1] - 1)
    }
}
