import Testing
import HoneTune

/// Styblinski–Tang in 5-D on [−5, 5]⁵ (minimum −39.166… per dimension at xᵢ ≈ −2.9035).
private func styblinskiTang(_ x: [Double]) -> [Double] {
    [x.reduce(0) { $0 + ($1 * $1 * $1 * $1 - 16 * $1 * $1 + 5 * $1) } / 2]
}
private let styblinskiSpace: [(String, Distribution)] = (0..<5).map { ("x\($0)", .float(low: -5, high: 5, log: false, step: nil)) }
private let styblinskiOptimum = -39.16616570377142 * 5

@Test func gpPriorMeanOptionsAreDeterministicAndShareTheStartupTrials() {
    func run(_ mean: GPSampler.PriorMean) -> [[String: Double]] {
        var loop = SamplerTestLoop(sampler: GPSampler(seed: 3, candidates: 256, priorMean: mean),
                                   space: TestFunctions.braninSpace)
        loop.run(14, TestFunctions.branin)
        return loop.trials.map(\.params)
    }
    let worst = run(.worstObserved), worstAgain = run(.worstObserved), average = run(.observedMean)
    #expect(worst == worstAgain)
    #expect(Array(worst[0..<10]) == Array(average[0..<10]), "startup trials do not use the GP")
    #expect(worst[10] != average[10], "the prior mean changes the GP's first proposal")
    #expect(GPSampler().priorMean == .worstObserved)
}

@Test func gpWorstObservedPriorMeanConvergesFurtherOnStyblinskiTang5() {
    // De Ath et al. (arXiv:2004.08349): in 5+ dimensions the worst observed value as the
    // constant prior mean converges faster than the observed mean (Optuna's choice).
    func regrets(_ mean: GPSampler.PriorMean) -> [Double] {
        (0..<3).map { seed in
            var loop = SamplerTestLoop(sampler: GPSampler(seed: UInt64(seed), candidates: 512, priorMean: mean),
                                       space: styblinskiSpace)
            return loop.run(40, styblinskiTang) - styblinskiOptimum
        }
    }
    let worst = regrets(.worstObserved).sorted(), average = regrets(.observedMean).sorted()
    #expect(worst[1] < average[1], "median regret: worst-observed mean \(worst), observed mean \(average)")
}
