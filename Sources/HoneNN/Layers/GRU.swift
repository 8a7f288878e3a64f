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
public final class GRU: RecurrentLayer, Layer {
    override class var gates: Int { 3 }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        checkInput(x)
        let gates = Tensor.linear(x.permuted([1, 0, 2]), weight: weightIH.value, bias: biasIH.value)
        let hs = Tensor.gruSequence(inputGates: gates, recurrentWeight: weightHH.value, recurrentBias: biasHH.value)
        return output(hs)
    }
}
