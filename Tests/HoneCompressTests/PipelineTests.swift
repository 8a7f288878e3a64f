import Foundation
import HoneCompress
import HoneData
import HoneNN
import HoneTensor
import Testing

private func tempURL(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("hone-pipeline-\(getpid())-\(name).safetensors")
}

@Test func pipelineReportsEveryStageAndSavesASmallerModel() throws {
    let data = try BundledData.fashionMNISTSubset()
    let train = data.train.selecting(Array(0..<512)), test = data.test.selecting(Array(0..<256))
    let model = Models.mlp(seed: 1)
    let url = tempURL("ok")
    defer { try? FileManager.default.removeItem(at: url) }
    let stages: [any CompressionStage] = [
        try PruneStage(method: .structured(fraction: 0.5, structure: .units, norm: .l2), sparseKernels: false),
        try PruneStage(method: .magnitude(sparsity: 0.9, scope: .layerwise, schedule: .oneShot)),
    ]
    var seen: [String] = []
    let reports = try CompressionPipeline(stages: stages).run(
        model, context: CompressionContext(train: train, fineTune: FineTuneSettings(epochs: 1, batchSize: 64)),
        test: test, inputShape: [784], saveTo: url) { seen.append($0.stage) }
    #expect(seen == ["input", "prune", "prune"])
    #expect(reports[1].params < reports[0].params / 2 + 200)
    #expect(reports[2].params < reports[1].params / 5)
    #expect(reports[2].fileBytes < reports[0].fileBytes / 4)
    #expect(reports.allSatisfy { $0.latencyMsBatch1 > 0 && $0.latencyMsBatch128 > 0 && $0.testAccuracy >= 0 })
    #expect(reports[0].jsonLine.contains("\"stage\":\"input\"") && reports[0].jsonLine.contains("\"latency_ms_b128\":"))
    let back = try CompressedModelFile.load(from: url)
    #expect((back as! Sequential).layers.contains { $0.layer is SparseDense })
}

@Test func badInputThrowsAndWritesNoFile() throws {
    let data = try BundledData.fashionMNISTSubset()
    let test = data.test.selecting(Array(0..<64))
    let empty = data.train.selecting([])
    let url = tempURL("bad")
    try? FileManager.default.removeItem(at: url)
    let prune = try PruneStage(method: .magnitude(sparsity: 0.5, scope: .global, schedule: .oneShot))
    // Empty fine-tuning / calibration data.
    #expect(throws: CompressionError.emptyCalibrationData(stage: "prune")) {
        _ = try CompressionPipeline(stages: [prune]).run(Models.mlp(), context: CompressionContext(train: empty), test: test,
                                                        inputShape: [784], saveTo: url)
    }
    // Sparsity outside [0, 1).
    #expect(throws: CompressionError.invalidSparsity(1.0)) {
        try PruneStage(method: .magnitude(sparsity: 1.0, scope: .global, schedule: .oneShot))
    }
    #expect(throws: CompressionError.invalidSparsity(-0.5)) {
        try PruneStage(method: .structured(fraction: -0.5, structure: .filters, norm: .l1))
    }
    // A missing teacher.
    #expect(throws: CompressionError.missingTeacher(path: nil)) { try DistillStage(teacherPath: nil) }
    #expect(throws: CompressionError.missingTeacher(path: "/nonexistent/teacher.safetensors")) {
        try DistillStage(teacherPath: "/nonexistent/teacher.safetensors")
    }
    // An unsupported layer for the method: a pruned Dense layer feeding an LSTM.
    let lstm = Sequential(Dense(inputSize: 28, outputSize: 28, seed: 1), Reshape([28, 1]),
                          LSTM(inputSize: 1, hiddenSize: 4, seed: 2), Dense(inputSize: 4, outputSize: 10, seed: 3))
    let rows = InMemoryDataset(features: [Float](repeating: 0.5, count: 64 * 28), featureShape: [28],
                               labels: (0..<64).map { Int32($0 % 10) }, classCount: 10)
    let structured = try PruneStage(method: .structured(fraction: 0.5, structure: .units, norm: .l1))
    #expect(throws: CompressionError.self) {
        _ = try CompressionPipeline(stages: [structured]).run(lstm, context: CompressionContext(train: rows), test: rows,
                                                             inputShape: [28], saveTo: url)
    }
    #expect(!FileManager.default.fileExists(atPath: url.path))
}
