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
public final class LSTM: RecurrentLayer, Layer {
    override class var gates: Int { 4 }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        checkInput(x)
        let bias = biasIH.value + biasHH.value
        if !returnSequences {
            return Tensor.lstmLastState(input: x, weightIH: weightIH.value, weightHH: weightHH.value, bias: bias)
        }
        return output(Tensor.lstm(input: x, weightIH: weightIH.value, weightHH: weightHH.value, bias: bias))   // [T, B, H]
    }
}
