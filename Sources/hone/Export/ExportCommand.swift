import ArgumentParser
import Foundation
import HoneCompress
import HoneNN

/// `hone export MODEL --onnx OUT`: writes a saved model (fp32, or int8 from `hone compress` /
/// `QuantizedModelFile`) as ONNX (opset 13; int8 models in QDQ form). Layers ONNX export does
/// not support (e.g. pruned `SparseDense`) are reported as errors and nothing is written.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export a saved model (fp32 or int8) to ONNX.")

    @Argument(help: "Model file (.safetensors written by Hone).") var model: String
    @Option(help: "ONNX file to write.") var onnx: String
    @Option(help: "Shape of one input example without the batch, e.g. 1,28,28 (default: inferred for models starting with a dense layer).")
    var inputShape: String?
    @Flag(help: "Print a JSON summary line.") var json = false

    func run() throws {
        let url = URL(fileURLWithPath: model)
        guard FileManager.default.fileExists(atPath: url.path) else { throw ValidationError("\(model): no such file") }
        // fp32 (`ModelFile`), int8 (`QuantizedModelFile`) or compressed (`hone compress`) files.
        let layer = try CompressedModelFile.load(from: url)
        let shape = try inputShape.map(Self.parseShape) ?? Self.inferShape(layer)
        let out = URL(fileURLWithPath: onnx)
        try ONNXExport.write(layer, inputShape: shape, to: out)
        let bytes = (try? FileManager.default.attributesOfItem(atPath: out.path)[.size] as? Int) ?? 0
        if json {
            let obj: [String: Any] = ["command": "export", "model": model, "onnx": onnx, "input_shape": shape,
                                      "int8": layer is QuantizedSequential, "file_bytes": bytes]
            print(String(decoding: try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys]), as: UTF8.self))
        } else {
            print("wrote \(onnx) (\(bytes) bytes, input [batch, \(shape.map(String.init).joined(separator: ", "))])")
        }
    }

    static func parseShape(_ s: String) throws -> [Int] {
        let dims = s.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !dims.isEmpty, dims.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw ValidationError("--input-shape: expected positive integers separated by commas (e.g. 1,28,28), got '\(s)'")
        }
        return dims.map { $0! }
    }

    /// `[inputSize]` when the first weighted layer is dense; convolutions need --input-shape.
    static func inferShape(_ layer: any Layer) throws -> [Int] {
        if let q = layer as? QuantizedSequential {
            for op in q.operations {
                if case .dense(let d) = op { return [d.inputSize] }
                if case .conv2d = op { break }
            }
        } else {
            var stack: [any Layer] = [layer]
            while let l = stack.first {
                stack.removeFirst()
                if let s = l as? Sequential { stack = s.layers.map(\.layer) + stack; continue }
                if let d = l as? Dense { return [d.inputSize] }
                if l is Conv2D { break }
            }
        }
        throw ValidationError("the model starts with a convolution: give --input-shape C,H,W (e.g. 1,28,28)")
    }
}
