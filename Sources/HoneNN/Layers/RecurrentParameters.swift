import HoneRandom
import HoneTensor

/// The four parameters of a single-layer recurrent layer with `gates` stacked gates, named and
/// initialized as PyTorch's `nn.LSTM`/`nn.GRU` (`weight_ih_l0` [G·H, F], `weight_hh_l0` [G·H, H],
/// `bias_ih_l0`, `bias_hh_l0`; all U(±1/√H) unless an initializer is given). Shared by ``LSTM``
/// (4 gates) and ``GRU`` (3 gates); values are drawn in that order from `generator`.
struct RecurrentParameters {
    let weightIH: Parameter
    let weightHH: Parameter
    let biasIH: Parameter
    let biasHH: Parameter

    init(layer: String, gates: Int, inputSize: Int, hiddenSize: Int, initializer: Initializer?,
         recurrentInitializer: Initializer?, generator: inout SeededGenerator) {
        precondition(inputSize > 0 && hiddenSize > 0, "\(layer): sizes must be positive, got \(inputSize), \(hiddenSize)")
        let k = 1 / Float(hiddenSize).squareRoot(), pt = Initializer.uniform(bound: k)
        weightIH = Parameter((initializer ?? pt).make(shape: [gates * hiddenSize, inputSize], generator: &generator))
        weightHH = Parameter((recurrentInitializer ?? pt).make(shape: [gates * hiddenSize, hiddenSize], generator: &generator))
        biasIH = Parameter(pt.make(shape: [gates * hiddenSize], generator: &generator))
        biasHH = Parameter(pt.make(shape: [gates * hiddenSize], generator: &generator))
    }

    /// PyTorch's parameter names, in PyTorch's order.
    static func named(_ wIH: Parameter, _ wHH: Parameter, _ bIH: Parameter, _ bHH: Parameter) -> [(String, Parameter)] {
        [("weight_ih_l0", wIH), ("weight_hh_l0", wHH), ("bias_ih_l0", bIH), ("bias_hh_l0", bHH)]
    }
}
