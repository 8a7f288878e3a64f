import Foundation

/// Hyperband (Li et al. 2018, arXiv:1603.06560) as Optuna's `HyperbandPruner` runs it: several
/// successive-halving brackets with different early-stopping rates, each trial assigned to one.
///
/// With η the reduction factor, there are ⌊log_η(max/min)⌋ + 1 brackets; bracket b (s = n − 1 − b)
/// gets ⌈n·η^s/(s+1)⌉ of the allocation budget, and a trial's bracket is
/// `crc32("{study}_{number}") mod total budget`, walked through the bracket budgets (so the
/// assignment is the same in every process and matches Optuna's). A trial competes only with
/// trials of its own bracket, through a ``SuccessiveHalvingPruner`` with
/// `minEarlyStoppingRate = b`. `maxResource: nil` ("auto") is the largest last step of the
/// COMPLETE trials + 1; nothing is pruned before one trial is COMPLETE.
///
/// ```swift
/// let pruner = HyperbandPruner(minResource: 1, maxResource: 81, reductionFactor: 3)
/// ```
public struct HyperbandPruner: Pruner {
    public let minResource: Int
    public let maxResource: Int?
    public let reductionFactor: Int
    public let bootstrapCount: Int

    public init(minResource: Int = 1, maxResource: Int? = nil, reductionFactor: Int = 3, bootstrapCount: Int = 0) {
        precondition(minResource >= 1, "HyperbandPruner: minResource must be >= 1, got \(minResource)")
        precondition(maxResource.map { $0 >= minResource } ?? true, "HyperbandPruner: maxResource must be >= minResource")
        precondition(reductionFactor >= 2, "HyperbandPruner: reductionFactor must be >= 2")
        self.minResource = minResource; self.maxResource = maxResource
        self.reductionFactor = reductionFactor; self.bootstrapCount = bootstrapCount
    }

    /// Trial-allocation budgets of the brackets for a given max resource.
    public func bracketBudgets(maxResource: Int) -> [Int] {
        let n = Int((log(Double(maxResource) / Double(minResource)) / log(Double(reductionFactor)) + 1e-9).rounded(.down)) + 1
        return (0..<n).map { b in
            let s = n - 1 - b
            return Int((Double(n) * pow(Double(reductionFactor), Double(s)) / Double(s + 1)).rounded(.up))
        }
    }

    /// The bracket of trial `number` in study `studyName`.
    public func bracket(studyName: String, number: Int, budgets: [Int]) -> Int {
        let total = budgets.reduce(0, +)
        var n = Int(CRC32.checksum(Array("\(studyName)_\(number)".utf8)) % UInt32(total))
        for (b, budget) in budgets.enumerated() {
            n -= budget
            if n < 0 { return b }
        }
        return budgets.count - 1
    }

    public func shouldPrune(study: StudySnapshot, trial: FrozenTrial) -> Bool {
        let maxR: Int
        if let maxResource { maxR = maxResource } else {
            guard let m = study.trials(in: [.complete]).compactMap(\.lastStep).max() else { return false }
            maxR = m + 1
        }
        let budgets = bracketBudgets(maxResource: max(maxR, minResource))
        let b = bracket(studyName: study.name, number: trial.number, budgets: budgets)
        var sub = study
        sub.trials = study.trials.filter { bracket(studyName: study.name, number: $0.number, budgets: budgets) == b }
        let sh = SuccessiveHalvingPruner(minResource: minResource, reductionFactor: reductionFactor,
                                         minEarlyStoppingRate: b, bootstrapCount: bootstrapCount)
        return sh.shouldPrune(study: sub, trial: trial)
    }
}

/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zlib's `crc32` and Python's
/// `binascii.crc32` compute it.
public enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { i in
        var c = UInt32(i)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}
