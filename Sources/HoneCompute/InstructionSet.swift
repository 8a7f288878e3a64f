import HoneKernels
#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The instruction-set path the kernels take. Chosen once at start-up from CPU detection,
/// or forced with `HONE_ISA=avx512|avx2|generic` (never above what the CPU supports).
public enum InstructionSet: Int, Sendable, Comparable, CaseIterable {
    case generic = 0, avx2 = 1, avx512 = 2

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    /// The best path this CPU supports.
    public static let detected: InstructionSet = InstructionSet(rawValue: Int(hone_detect_isa().rawValue)) ?? .generic

    /// The path in use: `HONE_ISA` if set and supported, else `detected`.
    public static let active: InstructionSet = {
        guard let env = ProcessInfo.processInfo.environment["HONE_ISA"]?.lowercased() else { return detected }
        let wanted: InstructionSet
        switch env {
        case "avx512": wanted = .avx512
        case "avx2": wanted = .avx2
        case "generic", "scalar": wanted = .generic
        default: return detected
        }
        return min(wanted, detected)
    }()
}
