import Testing
import HoneTestSupport
import Foundation
import HoneCompress
import HoneNN
import HoneRandom
import HoneTensor

/// Runs an ONNX file in Python's onnxruntime on `input`; nil (test skipped) when Python or
/// onnxruntime is missing.
private func onnxRuntimeOutput(_ onnx: URL, input: Tensor, dir: URL) throws -> [Float]? {
    let candidates = ["/work/venv/bin/python", "/usr/bin/python3", "/usr/local/bin/python3"]
    guard let python = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        print("ONNXExportTests: skipped (no python found)"); return nil
    }
    let inURL = dir.appendingPathComponent("input.f32"), outURL = dir.appendingPathComponent("output.f32")
    try input.scalars.withUnsafeBytes { Data($0) }.write(to: inURL)
    let script = """
    import sys
    try:
        import numpy as np, onnxruntime as ort
    except ImportError:
        print("SKIP"); sys.exit(0)
    shape = [int(s) for s in sys.argv[3].split(",")]
    x = np.fromfile(sys.argv[2], dtype=np.float32).reshape(shape)
    s = ort.InferenceSession(sys.argv[1], providers=["CPUExecutionProvider"])
    s.run(None, {"input": x})[0].astype(np.float32).tofile(sys.argv[4])
    print("OK")
    """
    let p = try runToCompletion(python, ["-c", script, onnx.path, inURL.path, input.shape.map(String.init).joined(separator: ","), outURL.path],
                                timeout: 300)
    let text = p.stdout
    if text.hasPrefix("SKIP") {
        print("ONNXExportTests: skipped (Python onnxruntime unavailable; pip install onnxruntime)"); return nil
    }
    #expect(p.status == 0 && text.hasPrefix("OK"), "onnxruntime failed on \(onnx.lastPathComponent): \(p.stderr)")
    let data = try Data(contentsOf: outURL)
    return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
}

private func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hone-onnx-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

@Test func onnxExportOfFloatModelsMatchesOnnxRuntime() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    var g = SeededGenerator(seed: 11)
    let bn = BatchNorm2d(8)
    bn.buffers.forEach { name, b in b.value = name == "running_mean" ? Tensor((0..<8).map { Float($0) * 0.05 }) : Tensor((0..<8).map { 0.5 + Float($0) * 0.1 }) }
    let cnn = Sequential(Conv2D(inputChannels: 1, outputChannels: 8, kernelSize: 3, padding: .same, generator: &g), bn, ReLU(),
                         MaxPool2D(kernelSize: 2), Conv2D(inputChannels: 8, outputChannels: 6, kernelSize: 3, stride: 2, generator: &g),
                         Tanh(), AvgPool2D(kernelSize: 2), Flatten(), Dropout(rate: 0.3),
                         Dense(inputSize: 6, outputSize: 12, generator: &g), Sigmoid(), Dense(inputSize: 12, outputSize: 4, generator: &g))
    let models: [(String, any Layer, [Int])] = [("mlp", Models.mlp(seed: 2), [784]), ("cnn", cnn, [1, 14, 14])]
    for (name, model, shape) in models {
        model.setTraining(false)
        let url = dir.appendingPathComponent("\(name).onnx")
        try ONNXExport.write(model, inputShape: shape, to: url)
        let x = Tensor.uniform(shape: [5] + shape, generator: &g)
        guard let out = try onnxRuntimeOutput(url, input: x, dir: dir) else { return }
        let hone = model(x).scalars
        #expect(out.count == hone.count)
        let err = zip(out, hone).map { abs($0 - $1) }.max() ?? .infinity
        #expect(err <= 1e-4, "\(name): max |onnxruntime − Hone| = \(err)")
    }
}

@Test func onnxExportOfInt8ModelsAgreesWithOnnxRuntime() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let model = Models.cnn(seed: 4)
    model.setTraining(false)
    var g = SeededGenerator(seed: 12)
    let calib = (0..<2).map { _ in Tensor.uniform(shape: [32, 1, 28, 28], generator: &g) }
    let q = try PostTrainingQuantization.quantize(model, calibrationBatches: calib, method: .minMax)
    let url = dir.appendingPathComponent("cnn-int8.onnx")
    try ONNXExport.write(q, inputShape: [1, 28, 28], to: url)
    let x = Tensor.uniform(shape: [200, 1, 28, 28], generator: &g)
    guard let out = try onnxRuntimeOutput(url, input: x, dir: dir) else { return }
    let hone = q(x).scalars
    var agree = 0
    for i in 0..<200 {
        let a = (0..<10).max { out[i * 10 + $0] < out[i * 10 + $1] }!, b = (0..<10).max { hone[i * 10 + $0] < hone[i * 10 + $1] }!
        if a == b { agree += 1 }
    }
    #expect(Double(agree) / 200 >= 0.995, "int8 predictions agree on \(agree)/200")
}

@Test func onnxExportRejectsUnsupportedLayersAndWritesNothing() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("lstm.onnx")
    #expect(throws: CompressionError.self) { try ONNXExport.write(Models.lstm(seed: 1), inputShape: [28, 28], to: url) }
    #expect(throws: CompressionError.self) { try ONNXExport.write(Models.mlp(seed: 1), inputShape: [0], to: url) }
    #expect(!FileManager.default.fileExists(atPath: url.path))
}
