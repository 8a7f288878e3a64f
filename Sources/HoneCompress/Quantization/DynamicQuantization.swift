import HoneNN
import HoneTensor

/// Dynamic int8 quantization (PyTorch's `torch.ao.quantization.quantize_dynamic`): Dense and
/// LSTM layers get int8 per-channel weights now, and their input activations are quantized per
/// batch at run time from the batch's min and max; every other layer stays float. Needs no
/// calibration data. The result is a new `Sequential`; the original keeps its float layers
/// (layers without weights, such as ReLU, are shared between the two).
///
/// ```swift
/// let q = try DynamicQuantization.quantize(Models.mlp(seed: 1))
/// let y = q(Tensor.zeros([1, 784]))
/// ```
public enum DynamicQuantization {
    public static func quantize(_ model: any Layer) throws(CompressionError) -> Sequential {
        guard let s = model as? Sequential else {
            if let converted = convert(model) { return Sequential(named: [("0", converted)]) }
            throw .unsupportedLayer(method: "dynamic quantization", layer: String(describing: type(of: model)),
                                    path: "model (expected a Sequential, Dense or LSTM)")
        }
        return Sequential(named: try s.layers.map { item throws(CompressionError) in
            if let inner = item.layer as? Sequential { return (item.name, try quantize(inner)) }
            return (item.name, convert(item.layer) ?? item.layer)
        })
    }

    static func convert(_ layer: any Layer) -> (any Layer)? {
        switch layer {
        case let d as Dense: return QuantizedDense(d, input: nil)
        case let l as LSTM: return DynamicQuantizedLSTM(l)
        default: return nil
        }
    }
}
