import Foundation

/// A memo of what samplers derive from finished trials, whose parameters and distributions
/// never change again: the intersection search space, and each trial's parameter vector for a
/// list of names. It only avoids recomputation — every answer equals the uncached one — so
/// determinism across processes is unaffected. Entries are checked against the trial's id and
/// completion time, so a sampler reused on another study starts over.
final class FinishedTrialCache: @unchecked Sendable {
    private struct Stamp: Equatable { var id: Int64; var completedAt: Date? }

    private let lock = NSLock()
    // Intersection of COMPLETE trials' distributions.
    private var interStamps: [Stamp?] = []
    private var interSpace: [String: Distribution]? = nil
    // Parameter rows per name list.
    private var rowKey: [String] = []
    private var rowStamps: [Stamp?] = []
    private var rows: [[Double]?] = []

    /// The intersection of the COMPLETE trials' distributions (before dropping single values).
    func intersection(_ trials: [FrozenTrial]) -> [String: Distribution]? {
        lock.lock(); defer { lock.unlock() }
        // Validate what was cached; any mismatch means another study or history: start over.
        for n in interStamps.indices {
            guard let s = interStamps[n] else { continue }
            if n >= trials.count || trials[n].id != s.id || trials[n].completedAt != s.completedAt {
                interStamps = []; interSpace = nil; break
            }
        }
        if interStamps.count < trials.count {
            interStamps.append(contentsOf: [Stamp?](repeating: nil, count: trials.count - interStamps.count))
        }
        for n in trials.indices where interStamps[n] == nil && trials[n].state == .complete {
            let t = trials[n]
            if var s = interSpace {
                if s.count > 0 {
                    for (k, d) in s where t.distributions[k] != d { s[k] = nil }
                }
                interSpace = s
            } else {
                interSpace = t.distributions
            }
            interStamps[n] = Stamp(id: t.id, completedAt: t.completedAt)
        }
        return interSpace
    }

    /// The values of `names` for each trial index in `indices` (nil where one is missing).
    /// Finished trials are memoized; others are read directly.
    func rows(_ trials: [FrozenTrial], names: [String], indices: [Int]) -> [[Double]?] {
        lock.lock(); defer { lock.unlock() }
        if names != rowKey { rowKey = names; rowStamps = []; rows = [] }
        if rowStamps.count < trials.count {
            rowStamps.append(contentsOf: [Stamp?](repeating: nil, count: trials.count - rowStamps.count))
            rows.append(contentsOf: [[Double]?](repeating: nil, count: trials.count - rows.count))
        }
        func read(_ t: FrozenTrial) -> [Double]? {
            var r = [Double](repeating: 0, count: names.count)
            for (j, name) in names.enumerated() {
                guard let v = t.params[name] else { return nil }
                r[j] = v
            }
            return r
        }
        var out: [[Double]?] = []
        out.reserveCapacity(indices.count)
        for i in indices {
            guard trials[i].state.isFinished else { out.append(read(trials[i])); continue }
            if let st = rowStamps[i], st.id == trials[i].id, st.completedAt == trials[i].completedAt {
            } else {
                rows[i] = read(trials[i])
                rowStamps[i] = Stamp(id: trials[i].id, completedAt: trials[i].completedAt)
            }
            out.append(rows[i])
        }
        return out
    }
}
