import HoneRandom
import HoneTensor

/// The state shared by ``LSTM`` and ``GRU``: sizes, the four parameters of a single-layer
/// recurrent layer with `gates` stacked gates, named and initialized as PyTorch's
/// `nn.LSTM`/`nn.GRU` (`weight_ih_l0` [G·H, F], `weight_hh_l0` [G·H, H], `bias_ih_l0`,
/// `bias_hh_l0`; all U(±1/√H) unless an initializer is given, drawn in that order), and the
/// input check and output selection around the subclass's recurrence.
///
/// Not used directly: a subclass names its gate count (4 for LSTM's i|f|g|o, 3 for GRU's r|z|n)
/// and implements `callAsFunction`; both initializers are inherited.
///
/// ```swift
/// let gru = GRU(inputSize: 28, hiddenSize: 64, seed: 1)
/// print(gru.weightIH.value.shape)   // [192, 28]
/// ```
public class RecurrentLayer {
    public let inputSize: Int
    public let hiddenSize: Int
    /// Return every hidden state `[batch, sequence, H]` instead of the last one `[batch, H]`.
    public let returnSequences: Bool
    public let weightIH: Parameter
    public let weightHH: Parameter
    public let biasIH: Parameter
    public let biasHH: Parameter
    public var isTraining = true

    /// Gates stacked in the weight matrices; every subclass overrides it.
    class var gates: Int {
        preconditionFailure("RecurrentLayer: \(self) must override `gates` (LSTM 4, GRU 3)")
    }

    /// The layer's name in messages (`LSTM`, `GRU`).
    var layerName: String { String(describing: type(of: self)) }

    public init(inputSize: Int, hiddenSize: Int, returnSequences: Bool = false,
                initializer: Initializer? = nil, recurrentInitializer: Initializer? = nil,
                generator: inout SeededGenerator) {
        let gates = Self.gates
        precondition(inputSize > 0 && hiddenSize > 0,
                     "\(Self.self): sizes must be positive, got \(inputSize), \(hiddenSize)")
        self.inputSize = inputSize; self.hiddenSize = hiddenSize; self.returnSequences = returnSequences
        let k = 1 / Float(hiddenSize).squareRoot(), pt = Initializer.uniform(bound: k)
        weightIH = Parameter((initializer ?? pt).make(shape: [gates * hiddenSize, inputSize], generator: &generator))
        weightHH = Parameter((recurrentInitializer ?? pt).make(shape: [gates * hiddenSize, hiddenSize], generator: &generator))
        biasIH = Parameter(pt.make(shape: [gates * hiddenSize], generator: &generator))
        biasHH = Parameter(pt.make(shape: [gates * hiddenSize], generator: &generator))
    }

    public convenience init(inputSize: Int, hiddenSize: Int, returnSequences: Bool = false,
                            initializer: Initializer? = nil, recurrentInitializer: Initializer? = nil, seed: UInt64 = 0) {
        var g = SeededGenerator(seed: seed)
        self.init(inputSize: inputSize, hiddenSize: hiddenSize, returnSequences: returnSequences,
                  initializer: initializer, recurrentInitializer: recurrentInitializer, generator: &g)
    }

    /// PyTorch's parameter names, in PyTorch's order.
    public var parameters: [(String, Parameter)] {
        [("weight_ih_l0", weightIH), ("weight_hh_l0", weightHH), ("bias_ih_l0", biasIH), ("bias_hh_l0", biasHH)]
    }

    /// Checks that `x` is `[batch, sequence > 0, inputSize]`.
    func checkInput(_ x: Tensor) {
        precondition(x.rank == 3 && x.shape[2] == inputSize && x.shape[1] > 0,
                     "\(layerName): input \(x.shape) does not match [batch, sequence > 0, \(inputSize)]")
    }

    /// The layer's output from every hidden state `hs` [T, B, H]: all of them batch-first with
    /// `returnSequences`, else the last one.
    func output(_ hs: Tensor) -> Tensor {
        returnSequences ? hs.permuted([1, 0, 2]) : hs.select(axis: 0, index: hs.shape[0] - 1)
    }
}
