import HoneRandom
import HoneTensor

/// A single-layer GRU (Cho et al., arXiv:1406.1078) with PyTorch's `nn.GRU(batch_first=True)`
/// equations (reset gate applied to W_hn·h + b_hn), gate order r|z|n and parameter names
/// (`weight_ih_l0` [3H, F], `weight_hh_l0` [3H, H], `bias_ih_l0`, `bias_hh_l0`), all
/// initialized U(±1/√H) like PyTorch.
///
/// Input `[batch, sequence, features]`; output the last hidden state `[batch, H]`, or
/// `[batch, sequence, H]` with `returnSequences`. Initial state zero. One GEMM for all input
/// projections, then `Tensor.gruSequence` (one GEMM + fused gates per step).
///
/// ```swift
/// let gru = GRU(inputSize: 28, hiddenSize: 64, seed: 1)
/// let last = gru(Tensor.zeros([16, 28, 28]))   // [16, 64]
/// ```
public final class GRU: Layer {
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
        let p = RecurrentParameters(layer: "GRU", gates: 3, inputSize: inputSize, hiddenSize: hiddenSize,
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
                     "GRU: input \(x.shape) does not match [batch, sequence > 0, \(inputSize)]")
        let gates = Tensor.linear(x.permuted([1, 0, 2]), weight: weightIH.value, bias: biasIH.value)
        let hs = Tensor.gruSequence(inputGates: gates, recurrentWeight: weightHH.value, recurrentBias: biasHH.value)
        return returnSequences ? hs.permuted([1, 0, 2]) : hs.select(axis: 0, index: x.shape[1] - 1)
    }
}
