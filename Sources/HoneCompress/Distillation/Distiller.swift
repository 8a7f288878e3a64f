import HoneData
import HoneNN
import HoneTensor
import HoneTrain

/// Trains a student to imitate a teacher with `fit`: wrap the student, train the wrapper with
/// `distiller.loss`, keep the student. Each forward pass also runs the teacher (evaluation
/// mode, no gradient) on the same batch and keeps its logits for the loss, so any `fit`
/// option (validation, callbacks, augmentation) works unchanged.
///
/// Not thread-safe: one `fit` at a time (the loss reads the logits of the latest forward pass).
///
/// ```swift
/// let teacher = try ModelFile.load(from: URL(fileURLWithPath: "wide.safetensors"))
/// let student = Models.mlp(seed: 1)
/// let d = Distiller(teacher: teacher, student: student, temperature: 4, alpha: 0.9)
/// try fit(d, loss: d.loss, optimizer: Optimizer(student, adam()), data: train, epochs: 5, batchSize: 128)
/// evaluate(student, data: test)
/// ```
public final class Distiller: Layer, @unchecked Sendable {
    public let teacher: any Layer
    public let student: any Layer
    public let temperature: Float
    public let alpha: Float
    public var isTraining = true
    public let cacheTeacherOutputs: Bool
    private var teacherLogits: Tensor?
    private var cache: [UInt64: [Float]] = [:]

    /// Throws `CompressionError.invalidArgument` unless temperature > 0 and 0 ≤ alpha ≤ 1.
    ///
    /// With `cacheTeacherOutputs`, the teacher's logits are memoized per distinct input example
    /// (keyed by a 64-bit hash of its bytes), so later epochs skip the teacher's forward pass;
    /// use it only without augmentation (every new input is kept).
    public init(teacher: any Layer, student: any Layer, temperature: Float = 4, alpha: Float = 0.9,
                cacheTeacherOutputs: Bool = false) throws {
        guard temperature > 0, temperature.isFinite else {
            throw CompressionError.invalidArgument(name: "temperature", reason: "expected a positive number, got \(temperature)")
        }
        guard alpha >= 0, alpha <= 1 else {
            throw CompressionError.invalidArgument(name: "alpha", reason: "expected a value in [0, 1], got \(alpha)")
        }
        self.teacher = teacher; self.student = student; self.temperature = temperature; self.alpha = alpha
        self.cacheTeacherOutputs = cacheTeacherOutputs
    }

    /// Only the student is trained (its parameters are this module's).
    public var children: [(String, any Module)] { [("student", student)] }

    /// The student's logits; the teacher's logits for the same batch are kept for `loss`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        teacherLogits = cacheTeacherOutputs ? cachedTeacher(x) : runTeacher(x)
        return student(x)
    }

    private func runTeacher(_ x: Tensor) -> Tensor {
        let wasTraining = teacher.isTraining
        teacher.setTraining(false)
        defer { teacher.setTraining(wasTraining) }
        return withoutGradient { teacher(x) }
    }

    /// Teacher logits with per-example memoization: only unseen examples go through the teacher.
    private func cachedTeacher(_ x: Tensor) -> Tensor {
        let n = x.shape[0], width = x.count / max(1, n)
        let rows = x.scalars
        let keys: [UInt64] = (0..<n).map { r in
            var h: UInt64 = 0xcbf2_9ce4_8422_2325   // FNV-1a over the example's bit patterns
            for i in (r * width)..<((r + 1) * width) { h = (h ^ UInt64(rows[i].bitPattern)) &* 0x100_0000_01b3 }
            return h
        }
        let missing = (0..<n).filter { cache[keys[$0]] == nil }
        if !missing.isEmpty {
            var sub: [Float] = []
            sub.reserveCapacity(missing.count * width)
            for r in missing { sub += rows[(r * width)..<((r + 1) * width)] }
            let out = runTeacher(Tensor(shape: [missing.count] + Array(x.shape.dropFirst()), scalars: sub))
            let classes = out.count / missing.count, values = out.scalars
            for (j, r) in missing.enumerated() { cache[keys[r]] = Array(values[(j * classes)..<((j + 1) * classes)]) }
        }
        let classes = cache[keys[0]]!.count
        return Tensor(shape: [n, classes], scalars: keys.flatMap { cache[$0]! })
    }

    /// The distillation loss of the latest batch (`Loss.distillation`), for `fit(loss:)`.
    public var loss: LossFunction {
        { [self] output, labels in
            guard let t = teacherLogits, t.shape == output.shape else {
                preconditionFailure("Distiller.loss: no teacher logits of shape \(output.shape); call the distiller before its loss")
            }
            return Loss.distillation(student: output, teacher: t, labels: labels, temperature: temperature, alpha: alpha)
        }
    }
}
