import Foundation
import HoneCompute
import HoneNN
import HoneTensor

/// LSTM with int8 weights and dynamically quantized activations (PyTorch's
/// `torch.ao.nn.quantized.dynamic.LSTM` scheme): the input projection of all time steps is one
/// int8 GEMM, and at each step the hidden state is quantized per batch and multiplied by the
/// int8 recurrent weights; gate nonlinearities and the cell update stay in float. Gate order
/// i, f, g, o (PyTorch's). Input `[N, T, inputSize]`; output `[N, hidden]` (last step) or
/// `[N, T, hidden]` with `returnSequences`.
///
/// ```swift
/// let q = DynamicQuantizedLSTM(lstm)
/// let h = q(Tensor.zeros([4, 28, 28]))   // [4, 128]
/// ```
public final class DynamicQuantizedLSTM: Layer {
    public let inputSize: Int
    public let hiddenSize: Int
    public let returnSequences: Bool
    /// Input projection (`weight_ih`, bias `bias_ih + bias_hh`), dynamic.
    public let inputProjection: QuantizedDense
    /// Recurrent projection (`weight_hh`, no bias), dynamic.
    public let recurrentProjection: QuantizedDense
    public var isTraining = false

    public init(_ lstm: LSTM) {
        inputSize = lstm.inputSize; hiddenSize = lstm.hiddenSize; returnSequences = lstm.returnSequences
        let g = 4 * lstm.hiddenSize
        let bias = zip(lstm.biasIH.value.scalars, lstm.biasHH.value.scalars).map { $0 + $1 }
        inputProjection = QuantizedDense(inputSize: inputSize, outputSize: g,
                                         weights: QuantizedWeights(weights: lstm.weightIH.value.scalars, outputChannels: g),
                                         bias: bias, input: nil)
        recurrentProjection = QuantizedDense(inputSize: hiddenSize, outputSize: g,
                                             weights: QuantizedWeights(weights: lstm.weightHH.value.scalars, outputChannels: g),
                                             bias: nil, input: nil)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        qcheck(x.rank == 3 && x.shape[2] == inputSize && x.shape[1] > 0,
               "DynamicQuantizedLSTM: input \(x.shape) does not match [batch, sequence > 0, \(inputSize)]")
        let (n, steps, h) = (x.shape[0], x.shape[1], hiddenSize)
        let gates = inputProjection(x).scalars                  // [N, T, 4H]
        var hidden = [Float](repeating: 0, count: n * h), cell = hidden
        var sequence = returnSequences ? [Float](repeating: 0, count: n * steps * h) : []
        func sigmoid(_ v: Float) -> Float { 1 / (1 + Foundation.exp(-v)) }
        for t in 0..<steps {
            let rec = recurrentProjection(Tensor(shape: [n, h], scalars: hidden)).scalars   // [N, 4H]
            for b in 0..<n {
                let gi = (b * steps + t) * 4 * h, ri = b * 4 * h
                for j in 0..<h {
                    let i = sigmoid(gates[gi + j] + rec[ri + j])
                    let f = sigmoid(gates[gi + h + j] + rec[ri + h + j])
                    let g = Foundation.tanh(gates[gi + 2 * h + j] + rec[ri + 2 * h + j])
                    let o = sigmoid(gates[gi + 3 * h + j] + rec[ri + 3 * h + j])
                    let c = f * cell[b * h + j] + i * g
                    cell[b * h + j] = c
                    hidden[b * h + j] = o * Foundation.tanh(c)
                }
                if returnSequences {
                    for j in 0..<h { sequence[(b * steps + t) * h + j] = hidden[b * h + j] }
                }
            }
        }
        return returnSequences ? Tensor(shape: [n, steps, h], scalars: sequence) : Tensor(shape: [n, h], scalars: hidden)
    }
}
