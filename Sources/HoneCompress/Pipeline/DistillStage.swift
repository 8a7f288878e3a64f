import Foundation
import HoneNN
import HoneTrain

/// The distillation stage: the current model is the student and learns from `teacher`
/// (`Distiller`, `Loss.distillation`) for `epochs` with Adam at `learningRate`; with
/// `reinitialize` the student starts from fresh weights (same architecture, `context.seed`).
///
/// ```swift
/// let stage = try DistillStage(teacherPath: "wide.safetensors", temperature: 4, alpha: 0.9, epochs: 10)
/// let student = try stage.apply(to: Models.mlp(seed: 1), context: CompressionContext(train: train))
/// ```
public struct DistillStage: CompressionStage {
    public let teacher: any Layer
    public let temperature: Float
    public let alpha: Float
    public let epochs: Int
    public let learningRate: Double
    public let reinitialize: Bool
    public var name: String { "distill" }

    public init(teacher: any Layer, temperature: Float = 4, alpha: Float = 0.9, epochs: Int = 5,
                learningRate: Double = 1e-3, reinitialize: Bool = false) throws {
        guard temperature > 0, temperature.isFinite else {
            throw CompressionError.invalidArgument(name: "distill.temperature", reason: "expected a positive number, got \(temperature)")
        }
        guard alpha >= 0, alpha <= 1 else {
            throw CompressionError.invalidArgument(name: "distill.alpha", reason: "expected a value in [0, 1], got \(alpha)")
        }
        guard epochs >= 1 else { throw CompressionError.invalidArgument(name: "distill.epochs", reason: "expected ≥ 1, got \(epochs)") }
        guard learningRate > 0, learningRate.isFinite else {
            throw CompressionError.invalidArgument(name: "distill.learning_rate", reason: "expected a positive number, got \(learningRate)")
        }
        self.teacher = teacher; self.temperature = temperature; self.alpha = alpha
        self.epochs = epochs; self.learningRate = learningRate; self.reinitialize = reinitialize
    }

    /// Loads the teacher from a model file (plain or compressed); a missing path or file throws
    /// `CompressionError.missingTeacher`.
    public init(teacherPath: String?, temperature: Float = 4, alpha: Float = 0.9, epochs: Int = 5,
                learningRate: Double = 1e-3, reinitialize: Bool = false) throws {
        guard let teacherPath else { throw CompressionError.missingTeacher(path: nil) }
        guard FileManager.default.fileExists(atPath: teacherPath) else { throw CompressionError.missingTeacher(path: teacherPath) }
        let t = try CompressedModelFile.load(from: URL(fileURLWithPath: teacherPath))
        try self.init(teacher: t, temperature: temperature, alpha: alpha, epochs: epochs, learningRate: learningRate,
                      reinitialize: reinitialize)
    }

    public func apply(to model: any Layer, context: CompressionContext) throws -> any Layer {
        guard context.train.count > 0 else { throw CompressionError.emptyCalibrationData(stage: name) }
        var student = model
        if reinitialize {
            do { student = try Architecture(describing: model).build(seed: context.seed) } catch {
                throw CompressionError.unsupportedLayer(method: "distillation (reinitialize)", layer: String(describing: type(of: model)), path: "")
            }
        }
        let d = try Distiller(teacher: teacher, student: student, temperature: temperature, alpha: alpha, cacheTeacherOutputs: true)
        let optimizer = Optimizer(student, adam(learningRate: .constant(learningRate)))
        try fit(d, loss: d.loss, optimizer: optimizer, data: context.train, epochs: epochs,
                batchSize: context.fineTune.batchSize, seed: context.seed)
        student.setTraining(false)
        return student
    }
}
