import Foundation
import Testing
import HoneData
import HoneNN
import HoneTensor
import HoneTrain

@Suite struct CallbackTests {
    let data = Blobs.dataset(count: 120, seed: 1)

    @Test func earlyStoppingStopsAfterPatienceAndRestoresTheBestWeights() throws {
        let model = Blobs.model()
        let recorder = ParameterRecorder()
        let stop = EarlyStopping(monitor: "score", patience: 1, restoreBest: true)
        // Best at epoch 2; epochs 3 and 4 do not improve → stop after epoch 4.
        let h = try fit(model, optimizer: Optimizer(model, sgd(learningRate: 0.05)), data: data, epochs: 10,
                        batchSize: 16, callbacks: [ScriptedFigure("score", [1.0, 0.5, 0.6, 0.7, 0.4, 0.3]), stop, recorder])
        #expect(h.count == 4)
        #expect(stop.bestEpoch == 2)
        #expect(stop.stoppedEpoch == 4)
        #expect(model.namedParameters.map { $0.1.value.scalars } == recorder.perEpoch[1])
        #expect(recorder.perEpoch[3] != recorder.perEpoch[1])
        #expect(model.namedParameters.allSatisfy { $0.1.value.requiresGrad })
    }

    @Test func earlyStoppingMinDeltaAndMaxMode() throws {
        let model = Blobs.model()
        let stop = EarlyStopping(monitor: "val_accuracy_like", mode: .max, patience: 0, minDelta: 0.1)
        let h = try fit(model, optimizer: Optimizer(model, sgd(learningRate: 0.05)), data: data, epochs: 5, batchSize: 32,
                        callbacks: [ScriptedFigure("val_accuracy_like", [0.5, 0.65, 0.7, 0.9, 0.95]), stop])
        // 0.65 beats 0.5 by more than 0.1; 0.7 does not beat 0.65 + 0.1 → stop after epoch 3.
        #expect(h.count == 3)
        #expect(stop.bestEpoch == 2)
    }

    @Test func nonFiniteLossStopsWithEpochAndBatch() {
        let model = Blobs.model()
        let before = model.namedParameters.map { $0.1.value.scalars }
        let poisoned: LossFunction = { out, labels in
            Loss.crossEntropy(logits: out, labels: labels) * (labels.contains(2) ? Float.nan : 1)
        }
        let error = #expect(throws: TrainingError.self) {
            try fit(model, loss: poisoned, optimizer: Optimizer(model, sgd(learningRate: 0.1)), data: data, epochs: 2,
                    batchSize: 16, callbacks: [NonFiniteLossGuard()])
        }
        // NaN ≠ NaN, so compare the fields.
        if case let .nonFiniteLoss(epoch, batch, value)? = error {
            #expect(epoch == 1 && batch == 1 && value.isNaN)
        } else {
            Issue.record("expected nonFiniteLoss, got \(String(describing: error))")
        }
        #expect(model.namedParameters.map { $0.1.value.scalars } == before)   // stopped before the step
    }

    @Test func scheduleAndPlateauSetTheLearningRateScale() throws {
        let model = Blobs.model()
        let opt = Optimizer(model, sgd(learningRate: 0.01))
        let h = try fit(model, optimizer: opt, data: data, epochs: 5, batchSize: 32,
                        callbacks: [LearningRateScheduler(.step(stepSize: 2, gamma: 0.5), baseLearningRate: 0.01)])
        #expect(h.map { $0["learning_rate_scale"]! } == [1, 1, 0.5, 0.5, 0.25])

        let model2 = Blobs.model()
        let opt2 = Optimizer(model2, sgd(learningRate: 0.01))
        let plateau = PlateauScheduler(monitor: "score", factor: 0.5, patience: 1)
        _ = try fit(model2, optimizer: opt2, data: data, epochs: 5, batchSize: 32,
                    callbacks: [ScriptedFigure("score", [1, 1, 1, 1, 1]), plateau])
        // Bad epochs 2 and 3 → halve after epoch 3; then 4 and 5 → halve again.
        #expect(opt2.learningRateScale == 0.25)
    }

    @Test func jsonlLoggerWritesOneParsableLinePerEpoch() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hone-jsonl-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "stale\n".write(toFile: path, atomically: true, encoding: .utf8)
        let model = Blobs.model()
        _ = try fit(model, optimizer: Optimizer(model, sgd(learningRate: 0.05)), data: data, epochs: 3, batchSize: 32,
                    validation: .split(fraction: 0.25), callbacks: [JSONLLogger(path: path)])
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        for (i, line) in lines.enumerated() {
            let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(obj?["epoch"] as? Int == i + 1)
            #expect(obj?["val_loss"] is Double)
        }
    }

    @Test func jsonlLoggerNamesTheFileItCannotWrite() {
        let model = Blobs.model()
        #expect(throws: TrainingError.self) {
            try fit(model, optimizer: Optimizer(model, sgd(learningRate: 0.05)), data: data, epochs: 1, batchSize: 32,
                    callbacks: [JSONLLogger(path: "/nonexistent-dir/x.jsonl")])
        }
    }

    @Test func progressLoggerPrintsOneLinePerEpochWhenNotATerminal() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hone-progress-\(UUID().uuidString).txt")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forWritingTo: url)
        let logger = ProgressLogger(handle: handle)
        #expect(!logger.interactive)
        let model = Blobs.model()
        _ = try fit(model, optimizer: Optimizer(model, sgd(learningRate: 0.05)), data: data, epochs: 2, batchSize: 32,
                    callbacks: [logger])
        try handle.close()
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("epoch 1/2  loss "))
        #expect(lines[1].contains("samples/s"))
    }

    @Test func progressLoggerDrawsABarWithThroughputAndETAWhenInteractive() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hone-bar-\(UUID().uuidString).txt")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forWritingTo: url)
        let model = Blobs.model()
        _ = try fit(model, optimizer: Optimizer(model, sgd(learningRate: 0.05)), data: data, epochs: 1, batchSize: 32,
                    callbacks: [ProgressLogger(handle: handle, interactive: true)])
        try handle.close()
        let text = try String(contentsOf: url, encoding: .utf8)
        // The last batch always redraws: a full bar, then the epoch summary line.
        #expect(text.contains("epoch 1/1 [========================] 4/4  loss "))
        #expect(text.contains("samples/s  ETA 0:00"))
        #expect(text.hasSuffix("\n") && text.contains("\r\u{1B}[2Kepoch 1/1  loss "))
    }

    @Test func epochLogJSONLineIsSortedAndNullsNonFinite() {
        var log = EpochLog(epoch: 3)
        log["loss"] = 0.5; log["accuracy"] = .nan
        #expect(log.jsonLine == "{\"epoch\":3,\"accuracy\":null,\"loss\":0.5}")
    }
}

@Suite struct CheckpointTests {
    @Test func savesOnlyImprovingEpochsAndReloadsTheirWeights() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hone-ckpt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = Blobs.model()
        let recorder = ParameterRecorder()
        let ckpt = ModelCheckpoint(path: dir.path + "/e{epoch}.safetensors", monitor: "score", saveBestOnly: true)
        _ = try fit(model, optimizer: Optimizer(model, sgd(learningRate: 0.05)), data: Blobs.dataset(count: 90, seed: 3),
                    epochs: 4, batchSize: 30, callbacks: [ScriptedFigure("score", [0.9, 0.5, 0.7, 0.4]), ckpt, recorder])
        #expect(ckpt.savedPaths.map { URL(fileURLWithPath: $0).lastPathComponent }
                == ["e1.safetensors", "e2.safetensors", "e4.safetensors"])
        #expect(ckpt.best == 0.4)
        let fresh = Blobs.model(seed: 99)
        try ModelFile.loadWeights(into: fresh, from: URL(fileURLWithPath: ckpt.savedPaths[1]))
        #expect(fresh.namedParameters.map { $0.1.value.scalars } == recorder.perEpoch[1])
        // No temporary files left behind.
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(names.sorted() == ["e1.safetensors", "e2.safetensors", "e4.safetensors"])
    }

    @Test func unwritableCheckpointThrowsNamingThePath() {
        let model = Blobs.model()
        let error = #expect(throws: TrainingError.self) {
            try fit(model, optimizer: Optimizer(model, sgd(learningRate: 0.05)), data: Blobs.dataset(count: 30, seed: 3),
                    epochs: 1, batchSize: 30, callbacks: [ModelCheckpoint(path: "/nonexistent-dir/m.safetensors")])
        }
        if case let .fileWriteFailed(path, _)? = error { #expect(path == "/nonexistent-dir/m.safetensors") }
        else { Issue.record("expected fileWriteFailed, got \(String(describing: error))") }
    }
}
