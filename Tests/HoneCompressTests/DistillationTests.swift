import HoneCompress
import HoneData
import HoneNN
import HoneTensor
import HoneTrain
import Testing
import Foundation

/// Independent Double formula: α·T²·KL(p_t‖p_s) (batch mean) + (1 − α)·CE(s, y).
private func referenceLoss(_ s: [Double], _ t: [Double], labels: [Int32], n: Int, c: Int, T: Double, alpha: Double) -> Double {
    var kl = 0.0, ce = 0.0
    for i in 0..<n {
        let si = Array(s[(i * c)..<((i + 1) * c)]), ti = Array(t[(i * c)..<((i + 1) * c)])
        func softmax(_ v: [Double]) -> [Double] { let m = v.max()!; let e = v.map { exp($0 - m) }; let z = e.reduce(0, +); return e.map { $0 / z } }
        let pt = softmax(ti.map { $0 / T }), ps = softmax(si.map { $0 / T }), p1 = softmax(si)
        for k in 0..<c where pt[k] > 0 { kl += pt[k] * (log(pt[k]) - log(ps[k])) }
        ce -= log(p1[Int(labels[i])])
    }
    return alpha * T * T * kl / Double(n) + (1 - alpha) * ce / Double(n)
}

@Test(arguments: [(Float(1), Float(0.5)), (4, 0.9), (2, 1), (3, 0)])
func distillationLossMatchesAnIndependentFormula(temperature: Float, alpha: Float) {
    let n = 5, c = 7
    let s = randomTensor([n, c], seed: 1, low: -3, high: 3), t = randomTensor([n, c], seed: 2, low: -3, high: 3)
    let labels: [Int32] = [0, 3, 6, 2, 1]
    let l = Loss.distillation(student: s, teacher: t, labels: labels, temperature: temperature, alpha: alpha).scalar
    let ref = referenceLoss(s.scalars.map(Double.init), t.scalars.map(Double.init), labels: labels, n: n, c: c,
                            T: Double(temperature), alpha: Double(alpha))
    #expect(abs(Double(l) - ref) < 1e-4 * max(1, abs(ref)))
}

@Test func distillationLossGradientMatchesFiniteDifferences() {
    let n = 3, c = 4, T = 2.5, alpha = 0.7
    let s0 = randomTensor([n, c], seed: 11, low: -2, high: 2), t = randomTensor([n, c], seed: 12, low: -2, high: 2)
    let labels: [Int32] = [1, 0, 3]
    let s = s0.requiringGrad()
    Loss.distillation(student: s, teacher: t, labels: labels, temperature: Float(T), alpha: Float(alpha)).backward()
    let g = s.grad!.scalars
    let base = s0.scalars.map(Double.init), td = t.scalars.map(Double.init)
    let h = 1e-5
    for i in 0..<(n * c) {
        var plus = base, minus = base
        plus[i] += h; minus[i] -= h
        let fd = (referenceLoss(plus, td, labels: labels, n: n, c: c, T: T, alpha: alpha)
                  - referenceLoss(minus, td, labels: labels, n: n, c: c, T: T, alpha: alpha)) / (2 * h)
        #expect(abs(Double(g[i]) - fd) < 1e-3, "element \(i): autodiff \(g[i]), finite differences \(fd)")
    }
}

@Test func distillerTrainsOnlyTheStudentAndMatchesTheLossOfItsBatch() throws {
    let train = try BundledData.fashionMNISTSubset().train.selecting(Array(0..<256))
    let teacher = Models.mlp(seed: 1)
    let teacherBefore = teacher.namedParameters.map { $0.1.value.scalars }
    let student = Sequential(Flatten(), Dense(inputSize: 784, outputSize: 10, seed: 2))
    let d = try Distiller(teacher: teacher, student: student, temperature: 3, alpha: 0.8, cacheTeacherOutputs: true)
    #expect(d.namedParameters.count == 2)
    let x = Tensor(shape: [8, 784], scalars: train.gather(Array(0..<8)).features)
    let labels = train.gather(Array(0..<8)).labels
    let out = d(x)
    let expected = Loss.distillation(student: student(x), teacher: withoutGradient { teacher(x) }, labels: labels,
                                     temperature: 3, alpha: 0.8)
    #expect(abs(d.loss(out, labels).scalar - expected.scalar) < 1e-5)
    let studentBefore = student.namedParameters.map { $0.1.value.scalars }
    try fit(d, loss: d.loss, optimizer: Optimizer(student, adam(learningRate: 1e-3)), data: train, epochs: 2, batchSize: 64)
    #expect(teacher.namedParameters.map { $0.1.value.scalars } == teacherBefore)
    #expect(student.namedParameters.map { $0.1.value.scalars } != studentBefore)
    #expect(throws: CompressionError.self) { try Distiller(teacher: teacher, student: student, temperature: 0) }
    #expect(throws: CompressionError.self) { try Distiller(teacher: teacher, student: student, alpha: 1.5) }
}
