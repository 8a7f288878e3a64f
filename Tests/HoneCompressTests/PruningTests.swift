import HoneCompress
import HoneNN
import HoneTensor
import Testing

@Test func layerwiseMagnitudePruningZeroesTheSmallestWeightsOfEachLayer() throws {
    let model = Models.mlp(seed: 3)
    let before = try Pruning.targets(in: model).map { $0.parameter.value.scalars }
    let masks = try Pruning.magnitude(model, sparsity: 0.75)
    for (t, w0) in zip(try Pruning.targets(in: model), before) {
        let w = t.parameter.value.scalars
        let mask = masks.masks[t.name]!
        let pruned = Int((0.75 * Double(w.count)).rounded())
        #expect(mask.filter { $0 == 0 }.count == pruned)
        // Every kept weight is at least as large as every pruned one, and kept weights are unchanged.
        let keptMin = zip(w0, mask).filter { $0.1 == 1 }.map { abs($0.0) }.min()!
        let prunedMax = zip(w0, mask).filter { $0.1 == 0 }.map { abs($0.0) }.max()!
        #expect(keptMin >= prunedMax)
        for i in w.indices { #expect(w[i] == w0[i] * mask[i]) }
    }
    #expect(abs(masks.measuredSparsity(of: model) - 0.75) < 1e-3)
}

@Test func globalMagnitudePruningUsesOneThresholdAcrossLayers() throws {
    let model = Models.mlp(seed: 4)
    let all = try Pruning.targets(in: model).flatMap { $0.parameter.value.scalars.map { abs($0) } }.sorted()
    let masks = try Pruning.magnitude(model, sparsity: 0.6, scope: .global)
    let k = Int((0.6 * Double(all.count)).rounded())
    let threshold = all[k - 1]
    for t in try Pruning.targets(in: model) {
        for v in t.parameter.value.scalars where v != 0 { #expect(abs(v) >= threshold) }
    }
    #expect(abs(masks.sparsity - 0.6) < 1e-4)
    // Per-layer sparsities differ under a global threshold.
    let s = ["1.weight", "3.weight", "5.weight"].compactMap { masks.sparsity(of: $0) }
    #expect(Set(s.map { ($0 * 1000).rounded() }).count > 1)
}

@Test func nmPruningKeepsTwoOfEveryFourWeights() throws {
    let model = Models.mlp(seed: 5)
    let masks = try Pruning.nm(model, n: 2, m: 4)
    for t in try Pruning.targets(in: model) {
        #expect(Pruning.satisfiesNM(t.parameter.value, n: 2, m: 4))
        let mask = masks.masks[t.name]!
        for g in stride(from: 0, to: mask.count, by: 4) { #expect(mask[g..<(g + 4)].reduce(0, +) == 2) }
    }
    #expect(abs(masks.sparsity - 0.5) < 1e-9)
    #expect(!Pruning.satisfiesNM(Tensor(shape: [1, 4], scalars: [1, 2, 3, 0]), n: 2, m: 4))
}

@Test func nmPruningKeepsTheLargestMagnitudesInEachGroup() throws {
    let d = Dense(inputSize: 4, outputSize: 2, seed: 1)
    d.weight.value = Tensor(shape: [2, 4], scalars: [0.1, -3, 2, 0.5, 4, 0, -0.2, 0.3])
    try Pruning.nm(d, n: 2, m: 4)
    #expect(d.weight.value.scalars == [0, -3, 2, 0, 4, 0, 0, 0.3])
}

@Test func pruningRejectsBadSparsityAndUnsupportedLayers() throws {
    let model = Models.mlp(seed: 1)
    let before = model.namedParameters.map { $0.1.value.scalars }
    for s in [-0.1, 1.0, 1.5, Double.nan] {
        #expect(throws: CompressionError.self) { try Pruning.magnitude(model, sparsity: s) }
    }
    #expect(throws: CompressionError.invalidSparsity(1.0)) { try Pruning.magnitude(model, sparsity: 1.0) }
    #expect(throws: CompressionError.unsupportedLayer(method: "magnitude pruning", layer: "ReLU", path: "2")) {
        try Pruning.magnitude(model, sparsity: 0.5, layers: ["2"])
    }
    #expect(throws: CompressionError.self) { try Pruning.magnitude(model, sparsity: 0.5, layers: ["9"]) }
    #expect(throws: CompressionError.self) { try Pruning.nm(model, n: 2, m: 3) }   // 784 % 3 ≠ 0
    #expect(throws: CompressionError.self) { try Pruning.nm(model, n: 4, m: 4) }
    #expect(model.namedParameters.map { $0.1.value.scalars } == before)   // nothing changed
}

@Test func polynomialScheduleFollowsZhuAndGupta() throws {
    let s = try PolynomialDecaySchedule(initialSparsity: 0.1, finalSparsity: 0.9, beginStep: 100, endStep: 1100, frequency: 50)
    #expect(s.sparsity(atStep: 0) == 0.1)
    #expect(s.sparsity(atStep: 100) == 0.1)
    for t in [350, 600, 850] {
        let p = Double(t - 100) / 1000
        let expected = 0.9 + (0.1 - 0.9) * pow(1 - p, 3)
        #expect(abs(s.sparsity(atStep: t) - expected) < 1e-12)
    }
    #expect(abs(s.sparsity(atStep: 600) - 0.8) < 1e-12)   // 0.9 − 0.8·0.125
    #expect(s.sparsity(atStep: 1100) == 0.9)
    #expect(s.sparsity(atStep: 5000) == 0.9)
    #expect(s.prunesAt(step: 150) && !s.prunesAt(step: 160) && s.prunesAt(step: 1100) && !s.prunesAt(step: 1150))
    #expect(throws: CompressionError.invalidSparsity(1)) {
        try PolynomialDecaySchedule(finalSparsity: 1, endStep: 10)
    }
}

import Foundation
