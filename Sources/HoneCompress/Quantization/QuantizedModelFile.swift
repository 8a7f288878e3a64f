import Foundation
import HoneNN
import HoneTensor

/// Saving and loading int8 models (`QuantizedSequential`) as safetensors: for weighted step i,
/// `"i.weight"` (I8, PyTorch layout `[out, in]` or `[out, in, kH, kW]`), `"i.weight_scale"`
/// (F32, per output channel) and `"i.bias"` (F32); the steps, ReLU fusion and activation
/// scales / zero points are JSON in the metadata entry `"hone.quantized"`. About 4× smaller
/// than the fp32 file. Writes are atomic; a bad file throws `CompressionError.badModelFile`.
///
/// ```swift
/// try QuantizedModelFile.save(q, to: URL(fileURLWithPath: "mlp-int8.safetensors"))
/// let same = try QuantizedModelFile.load(from: URL(fileURLWithPath: "mlp-int8.safetensors"))
/// ```
public enum QuantizedModelFile {
    public static let metadataKey = "hone.quantized"
    static let format = "hone-int8-v1"

    struct Step: Codable {
        var kind: String                       // dense, conv2d, maxpool, flatten
        var inputSize: Int?, outputSize: Int?  // dense; conv2d channels
        var kernel: [Int]?, stride: [Int]?, padding: [Int]?
        var relu: Bool?
        var inputScale: Float?, inputZeroPoint: Int32?
        var hasBias: Bool?
    }
    struct Manifest: Codable {
        var format: String
        var steps: [Step]
    }

    /// The file's contents (tensors and metadata) without writing it.
    public static func encode(_ model: QuantizedSequential, metadata: [String: String] = [:]) throws -> SafeTensors {
        var tensors: [String: SafeTensors.Entry] = [:]
        var steps: [Step] = []
        for (i, op) in model.operations.enumerated() {
            func weighted(_ w: QuantizedWeights, shape: [Int], bias: [Float]?) {
                tensors["\(i).weight"] = .init(int8: w.values, shape: shape)
                tensors["\(i).weight_scale"] = .init(Tensor(w.scales))
                if let bias { tensors["\(i).bias"] = .init(Tensor(bias)) }
            }
            switch op {
            case .dense(let d):
                weighted(d.weights, shape: [d.outputSize, d.inputSize], bias: d.bias)
                steps.append(Step(kind: "dense", inputSize: d.inputSize, outputSize: d.outputSize, relu: d.fusedReLU,
                                  inputScale: d.input!.scale, inputZeroPoint: d.input!.zeroPoint, hasBias: d.bias != nil))
            case .conv2d(let c):
                weighted(c.weights, shape: [c.outputChannels, c.inputChannels, c.kernelSize.h, c.kernelSize.w], bias: c.bias)
                steps.append(Step(kind: "conv2d", inputSize: c.inputChannels, outputSize: c.outputChannels,
                                  kernel: [c.kernelSize.h, c.kernelSize.w], stride: [c.stride.h, c.stride.w],
                                  padding: [c.padding.h, c.padding.w], relu: c.fusedReLU,
                                  inputScale: c.input!.scale, inputZeroPoint: c.input!.zeroPoint, hasBias: c.bias != nil))
            case .maxPool(let k, let s):
                steps.append(Step(kind: "maxpool", kernel: [k.h, k.w], stride: [s.h, s.w]))
            case .flatten:
                steps.append(Step(kind: "flatten"))
            }
        }
        let json = try JSONEncoder().encode(Manifest(format: format, steps: steps))
        var meta = metadata
        meta[metadataKey] = String(decoding: json, as: UTF8.self)
        return SafeTensors(tensors: tensors, metadata: meta)
    }

    /// Writes the model atomically.
    public static func save(_ model: QuantizedSequential, to url: URL, metadata: [String: String] = [:]) throws(CompressionError) {
        do { try encode(model, metadata: metadata).write(to: url) } catch {
            throw .writeFailed(path: url.path, reason: "\(error)")
        }
    }

    /// Whether the file at `url` is an int8 model written by `save`.
    public static func isQuantizedModel(at url: URL) -> Bool {
        (try? SafeTensors.read(from: url))?.metadata[metadataKey] != nil
    }

    public static func load(from url: URL) throws(CompressionError) -> QuantizedSequential {
        let file: SafeTensors
        do { file = try SafeTensors.read(from: url) } catch { throw .badModelFile(path: url.path, reason: "\(error)") }
        return try decode(file, path: url.path)
    }

    static func decode(_ file: SafeTensors, path: String) throws(CompressionError) -> QuantizedSequential {
        func bad(_ reason: String) -> CompressionError { .badModelFile(path: path, reason: reason) }
        guard let text = file.metadata[metadataKey] else { throw bad("no '\(metadataKey)' metadata entry: not an int8 model") }
        guard let manifest = try? JSONDecoder().decode(Manifest.self, from: Data(text.utf8)), manifest.format == format else {
            throw bad("'\(metadataKey)' is not a \(format) manifest")
        }
        func floats(_ name: String, count: Int) throws(CompressionError) -> [Float] {
            guard let e = file.tensors[name], let t = e.tensor, t.count == count else {
                throw bad("tensor \(name) missing, not F32, or not \(count) values")
            }
            return t.scalars
        }
        func weights(_ i: Int, shape: [Int]) throws(CompressionError) -> QuantizedWeights {
            guard let e = file.tensors["\(i).weight"], e.dtype == .I8, e.shape == shape else {
                throw bad("tensor \(i).weight missing, not I8, or not of shape \(shape)")
            }
            let scales = try floats("\(i).weight_scale", count: shape[0])
            guard scales.allSatisfy({ $0 > 0 && $0.isFinite }) else { throw bad("\(i).weight_scale has a non-positive scale") }
            return QuantizedWeights(values: e.bytes.map { Int8(bitPattern: $0) }, scales: scales)
        }
        func input(_ s: Step, _ i: Int) throws(CompressionError) -> QuantizationParameters {
            guard let sc = s.inputScale, let z = s.inputZeroPoint, sc > 0, sc.isFinite, (0...255).contains(z) else {
                throw bad("step \(i): missing or invalid input scale / zero point")
            }
            return QuantizationParameters(scale: sc, zeroPoint: z)
        }
        func pair(_ v: [Int]?, _ what: String, _ i: Int) throws(CompressionError) -> Size2D {
            guard let v, v.count == 2, v[0] >= 0, v[1] >= 0 else { throw bad("step \(i): \(what) must be two non-negative integers") }
            return Size2D(v[0], v[1])
        }
        var ops: [QuantizedOperation] = []
        for (i, s) in manifest.steps.enumerated() {
            switch s.kind {
            case "dense":
                guard let n = s.inputSize, let o = s.outputSize, n > 0, o > 0 else { throw bad("step \(i): dense needs positive sizes") }
                let bias = s.hasBias == true ? try floats("\(i).bias", count: o) : nil
                ops.append(.dense(QuantizedDense(inputSize: n, outputSize: o, weights: try weights(i, shape: [o, n]), bias: bias,
                                                 input: try input(s, i), fusedReLU: s.relu ?? false)))
            case "conv2d":
                guard let c = s.inputSize, let o = s.outputSize, c > 0, o > 0 else { throw bad("step \(i): conv2d needs positive channels") }
                let k = try pair(s.kernel, "kernel", i), st = try pair(s.stride, "stride", i), p = try pair(s.padding, "padding", i)
                guard k.h > 0, k.w > 0, st.h > 0, st.w > 0 else { throw bad("step \(i): kernel and stride must be positive") }
                let bias = s.hasBias == true ? try floats("\(i).bias", count: o) : nil
                ops.append(.conv2d(QuantizedConv2D(inputChannels: c, outputChannels: o, kernelSize: k, stride: st, padding: p,
                                                   weights: try weights(i, shape: [o, c, k.h, k.w]), bias: bias,
                                                   input: try input(s, i), fusedReLU: s.relu ?? false)))
            case "maxpool":
                let k = try pair(s.kernel, "kernel", i), st = try pair(s.stride, "stride", i)
                guard k.h > 0, k.w > 0, st.h > 0, st.w > 0 else { throw bad("step \(i): kernel and stride must be positive") }
                ops.append(.maxPool(kernel: k, stride: st))
            case "flatten":
                ops.append(.flatten)
            default:
                throw bad("step \(i): unknown kind '\(s.kind)' (expected dense, conv2d, maxpool, flatten)")
            }
        }
        guard ops.contains(where: \.isLinear), ops.last?.isLinear == true else {
            throw bad("the steps must contain and end with a dense or conv2d step")
        }
        return QuantizedSequential(ops)
    }
}
