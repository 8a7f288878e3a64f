import Foundation
import HoneCompress
import HoneCompute
import HoneKernels
import HoneNN
import HoneTensor
import Testing

/// Double-precision reference of y = act(bias + A·x) for a dense row-major A.
private func reference(_ a: [Float], rows: Int, cols: Int, x: [Float], n: Int, bias: [Float], relu: Bool) -> [Double] {
    var y = [Double](repeating: 0, count: rows * n)
    for r in 0..<rows {
        for j in 0..<n {
            var s = Double(bias[r])
            for c in 0..<cols { s += Double(a[r * cols + c]) * Double(x[c * n + j]) }
            y[r * n + j] = relu ? max(0, s) : s
        }
    }
    return y
}

@Test(arguments: [1, 5, 16, 64, 128, 131, 200])
func csrKernelMatchesTheDenseReferenceOnEveryPath(n: Int) {
    let rows = 37, cols = 53
    let dense = randomTensor([rows, cols], seed: UInt64(n)).scalars.enumerated().map { $0.offset % 7 == 0 || $0.offset % 5 == 0 ? $0.element : 0 }
    let m = CSRMatrix(dense: dense, rows: rows, columns: cols)
    #expect(m.toDense() == dense)
    let x = randomTensor([cols, n], seed: 99).scalars
    let bias = randomTensor([rows], seed: 5).scalars
    for relu in [false, true] {
        let ref = reference(dense, rows: rows, cols: cols, x: x, n: n, bias: bias, relu: relu)
        for isa in InstructionSet.allCases where isa <= InstructionSet.detected {
            var y = [Float](repeating: .nan, count: rows * n)
            x.withUnsafeBufferPointer { xp in bias.withUnsafeBufferPointer { bp in y.withUnsafeMutableBufferPointer { yp in
                m.multiply(xp.baseAddress!, ldx: n, n: n, bias: bp.baseAddress, relu: relu, into: yp.baseAddress!, ldy: n, isa: isa)
            } } }
            let err = zip(y, ref).map { abs(Double($0.0) - $0.1) }.max()!
            #expect(err < 1e-4, "isa \(isa), n \(n), relu \(relu): max error \(err)")
        }
    }
}

@Test func sparseDenseMatchesDenseAndFusesReLU() throws {
    let d = Dense(inputSize: 784, outputSize: 96, seed: 4)
    try Pruning.magnitude(d, sparsity: 0.9)
    let s = SparseDense(d)
    #expect(s.weight.nonZeroCount == d.weight.count - zeroCount(d.weight.value))
    for batch in [1, 3, 128] {
        let x = randomTensor([batch, 784], seed: UInt64(batch))
        let expected = withoutGradient { d(x) }
        #expect(maxAbsDiff(s(x), expected) < 1e-4)
        #expect(maxAbsDiff(SparseDense(d, fusedReLU: true)(x), expected.relu()) < 1e-4)
    }
    #expect(maxAbsDiff(s.toDense().weight.value, d.weight.value) == 0)
}

@Test func sparsifiedModelPredictsLikeTheMaskedModelAndItsFileShrinks() throws {
    let model = Models.mlp(seed: 6)
    try Pruning.magnitude(model, sparsity: 0.9)
    let sparse = try Pruning.sparsify(model)
    #expect(sparse.layers.filter { $0.layer is SparseDense }.count == 3)
    #expect(sparse.layers.count == 4)   // flatten + 3 sparse (ReLUs fused)
    model.setTraining(false)
    let x = randomTensor([16, 784], seed: 8, low: 0, high: 1)
    #expect(maxAbsDiff(sparse(x), withoutGradient { model(x) }) < 1e-4)
    let dir = FileManager.default.temporaryDirectory
    let denseURL = dir.appendingPathComponent("hone-dense-\(getpid()).safetensors")
    let sparseURL = dir.appendingPathComponent("hone-sparse-\(getpid()).safetensors")
    defer { try? FileManager.default.removeItem(at: denseURL); try? FileManager.default.removeItem(at: sparseURL) }
    try ModelFile.save(model, to: denseURL)
    try CompressedModelFile.save(sparse, to: sparseURL)
    let denseBytes = try FileManager.default.attributesOfItem(atPath: denseURL.path)[.size] as! Int
    let sparseBytes = try FileManager.default.attributesOfItem(atPath: sparseURL.path)[.size] as! Int
    #expect(Double(denseBytes) / Double(sparseBytes) > 5)
    let back = try CompressedModelFile.load(from: sparseURL)
    #expect(maxAbsDiff(back(x), sparse(x)) == 0)
    // Density above the crossover stays dense.
    let half = Models.mlp(seed: 7)
    try Pruning.magnitude(half, sparsity: 0.5)
    #expect(try Pruning.sparsify(half).layers.allSatisfy { !($0.layer is SparseDense) })
}

@Test(arguments: [(1, 1), (3, 17), (8, 8), (16, 40), (129, 37)])
func transposeKernelIsExactOnEveryPath(rows: Int, cols: Int) {
    let src = (0..<(rows * cols)).map { Float($0) }
    for isa in InstructionSet.allCases where isa <= InstructionSet.detected {
        var dst = [Float](repeating: -1, count: rows * cols)
        src.withUnsafeBufferPointer { s in dst.withUnsafeMutableBufferPointer { d in
            hone_transpose_f32(Int32(isa.rawValue), s.baseAddress, Int64(rows), Int64(cols), Int64(cols), d.baseAddress, Int64(rows))
        } }
        for i in 0..<rows { for j in 0..<cols where dst[j * rows + i] != src[i * cols + j] {
            Issue.record("isa \(isa): element (\(i), \(j)) wrong"); return
        } }
    }
}
