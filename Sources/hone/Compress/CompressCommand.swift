import ArgumentParser
import Foundation
import HoneCompress
import HoneConfig
import HoneNN
import HoneRun

/// `hone compress MODEL --config FILE`: runs the config's `compress` stages (distill, prune, …)
/// in order on a saved model, fine-tunes after each, reports per stage test accuracy, stored
/// parameters, file size and latency at batch 1 and 128, and saves the result. Every setting is
/// checked (and the teacher loaded) before any work starts; nothing is written on an error.
struct CompressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compress", abstract: "Distill, prune (and quantize) a saved model; report size, speed and accuracy per stage.")

    @Argument(help: "Model file (.safetensors written by Hone).") var model: String
    @Option(help: "YAML config with a compress section (and the data).") var config: String
    @Option(help: "Where to save the compressed model (default: MODEL with .compressed.safetensors).") var output: String?
    @Flag(help: "Print one JSON line per stage.") var json = false

    func run() throws {
        let cfg = try RunSupport.loadConfig(config)
        guard let section = cfg.compression else {
            throw ValidationError("\(config): no compress section; add compress: {stages: [...]} (see docs/compression.md)")
        }
        let stages = try CompressStages.build(section)
        let input = try CompressedModelFile.load(from: URL(fileURLWithPath: model))
        let data = try LoadedData.load(cfg)
        let ft = FineTuneSettings(epochs: section.fineTune.epochs, batchSize: section.fineTune.batchSize,
                                  learningRate: section.fineTune.learningRate)
        let context = CompressionContext(train: data.train, fineTune: ft, seed: UInt64(section.seed))
        let out = output ?? Self.defaultOutput(model)
        _ = try CompressionPipeline(stages: stages).run(input, context: context, test: data.test, inputShape: data.inputShape,
                                                        saveTo: URL(fileURLWithPath: out)) { r in
            if json { RunSupport.say(r.jsonLine) } else {
                RunSupport.say(String(format: "%-8@ accuracy %.4f  params %d  file %d bytes  latency %.3f ms (b1) %.3f ms (b128)  %.1f s",
                                      r.stage as NSString, r.testAccuracy, r.params, r.fileBytes, r.latencyMsBatch1,
                                      r.latencyMsBatch128, r.seconds))
            }
        }
        if !json { RunSupport.say("saved \(out)") }
    }

    static func defaultOutput(_ model: String) -> String {
        let base = model.hasSuffix(".safetensors") ? String(model.dropLast(".safetensors".count)) : model
        return base + ".compressed.safetensors"
    }
}

/// Config stages → HoneCompress stages.
enum CompressStages {
    /// Prune stages before a quantize stage keep dense layers (int8 kernels replace them), so
    /// their `sparse_kernels` setting applies only when nothing is quantized afterwards.
    static func build(_ section: CompressSection) throws -> [any CompressionStage] {
        let lastQuantize = section.stages.lastIndex { if case .quantize = $0 { return true } else { return false } }
        return try section.stages.enumerated().map { index, stage -> any CompressionStage in
            switch stage {
            case .quantize(let q):
                let method: CalibrationMethod = q.calibration == "minmax" ? .minMax : q.calibration == "mse" ? .mse : .percentile(q.percentile)
                return QuantizeStage(method: method, calibrationSamples: q.calibrationSamples)
            case .distill(let d):
                return try DistillStage(teacherPath: d.teacher, temperature: Float(d.temperature), alpha: Float(d.alpha),
                                        epochs: d.epochs, learningRate: d.learningRate, reinitialize: d.reinitialize)
            case .prune(let p):
                let method: PruneStage.Method
                switch p.method {
                case "structured":
                    method = .structured(fraction: p.sparsity, structure: Pruning.Structure(rawValue: p.structure) ?? .filters,
                                         norm: Pruning.Norm(rawValue: p.norm) ?? .l1)
                case "nm": method = .nm(n: p.n, m: p.m)
                default:
                    method = .magnitude(sparsity: p.sparsity, scope: Pruning.Scope(rawValue: p.scope) ?? .layerwise,
                                        schedule: PruneStage.Schedule(rawValue: p.schedule) ?? .oneShot)
                }
                let beforeQuantize = lastQuantize.map { index < $0 } ?? false
                return try PruneStage(method: method, layers: p.layers, sparseKernels: p.sparseKernels && !beforeQuantize)
            }
        }
    }
}
