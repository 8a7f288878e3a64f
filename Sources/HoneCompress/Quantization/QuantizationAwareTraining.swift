import HoneNN
import HoneTensor

/// Quantization-aware training (Jacob et al., CVPR 2018, §3; Krishnamoorthi, arXiv:1806.08342,
/// §3.2): `prepare` turns a float model into a trainable copy where BatchNorm is folded, weights
/// are fake-quantized per channel and every activation that enters a weighted layer passes a
/// `FakeQuantize` (ReLU placed before it, as it will be fused); fine-tune it with `fit` (a low
/// learning rate, an epoch or two), then `convert` gives the int8 `QuantizedSequential` using
/// the learned weights and the fake-quant ranges.
///
/// ```swift
/// let qat = try QuantizationAwareTraining.prepare(model)
/// try fit(qat, optimizer: Optimizer(qat, adam(learningRate: 1e-4)), data: train, epochs: 1, batchSize: 128)
/// let int8 = qat.convert()
/// ```
public final class QuantizationAwareModel: Layer {
    let plan: QuantizationPlan
    /// Fake-quant points: the input of each weighted step, in order.
    public let fakeQuantizers: [FakeQuantize]
    /// The trainable float network with fake quantization.
    public let network: Sequential
    public var isTraining = true

    init(plan: QuantizationPlan) {
        self.plan = plan
        var quantizers: [FakeQuantize] = []
        var layers: [(String, any Layer)] = []
        func fq() { let f = FakeQuantize(); quantizers.append(f); layers.append(("fq\(quantizers.count - 1)", f)) }
        fq()
        let count = plan.linearIndices.count
        var seen = 0
        for (i, step) in plan.steps.enumerated() {
            switch step.kind {
            case .dense(let d): layers.append(("\(i)", FakeQuantizedDense(d)))
            case .conv2d(let c): layers.append(("\(i)", FakeQuantizedConv2D(c)))
            case .maxPool(let k, let s): layers.append(("\(i)", MaxPool2D(kernelSize: k, stride: s)))
            case .flatten: layers.append(("\(i)", Flatten()))
            }
            if step.isLinear {
                if step.relu { layers.append(("\(i)relu", ReLU())) }
                seen += 1
                if seen < count { fq() }
            }
        }
        fakeQuantizers = quantizers
        network = Sequential(named: layers)
    }

    public var children: [(String, any Module)] { [("network", network)] }

    public func callAsFunction(_ x: Tensor) -> Tensor { network(x) }

    /// The int8 model with the trained weights and the fake-quant ranges.
    public func convert() -> QuantizedSequential {
        plan.quantized(inputs: fakeQuantizers.map(\.quantizationParameters))
    }
}

public enum QuantizationAwareTraining {
    /// A fake-quantized trainable copy of `model` (same layer support as post-training
    /// quantization; BatchNorm is folded with its running statistics). The original model is
    /// not modified: the copy has its own weights.
    public static func prepare(_ model: any Layer) throws(CompressionError) -> QuantizationAwareModel {
        QuantizationAwareModel(plan: try QuantizationPlan(model).copied())
    }
}
