import HoneTune

/// Maps the config's pruner names to pruners, with settings suited to epoch-level reports.
enum Pruners {
    /// `epochs` is the maximum resource: ASHA's first rung is one epoch, η = 3 (so rungs at
    /// epochs 1, 3, 9, …), which prunes early enough for short budgets.
    static func make(_ name: String, epochs: Int) throws -> any Pruner {
        switch name {
        case "asha": return SuccessiveHalvingPruner(minResource: 1, reductionFactor: 3)
        case "median": return MedianPruner(startupTrials: 5, warmupSteps: 1)
        case "percentile": return PercentilePruner(percentile: 25, startupTrials: 5, warmupSteps: 1)
        case "hyperband": return HyperbandPruner(minResource: 1, maxResource: epochs, reductionFactor: 3)
        case "patience": return PatientPruner(wrapping: nil, patience: 2)
        case "none": return NopPruner()
        default: throw RunError("unknown pruner \(name); expected asha, median, percentile, hyperband, patience or none")
        }
    }
}
