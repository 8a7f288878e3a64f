/// Pareto dominance tools for multi-objective studies (Deb et al., "A fast and elitist
/// multiobjective genetic algorithm: NSGA-II", IEEE TEC 6(2), 2002). All objectives are
/// losses here: smaller is better (convert with ``StudyDirection/loss(_:)``).
///
/// ```swift
/// let ranks = Pareto.ranks([[1, 2], [2, 1], [2, 2]])   // [0, 0, 1]
/// ```
public enum Pareto {
    /// True when `a` is no worse than `b` everywhere and better somewhere.
    @inlinable public static func dominates(_ a: [Double], _ b: [Double]) -> Bool {
        var better = false
        for i in a.indices {
            if a[i] > b[i] { return false }
            if a[i] < b[i] { better = true }
        }
        return better
    }

    /// Non-domination rank of every point (0 = the Pareto front), by fast non-dominated sort.
    public static func ranks(_ points: [[Double]]) -> [Int] {
        let n = points.count
        var dominatedBy = [Int](repeating: 0, count: n)
        var dominates = [[Int]](repeating: [], count: n)
        for i in 0..<n {
            for j in (i + 1)..<max(n, i + 1) {
                if Self.dominates(points[i], points[j]) { dominates[i].append(j); dominatedBy[j] += 1 }
                else if Self.dominates(points[j], points[i]) { dominates[j].append(i); dominatedBy[i] += 1 }
            }
        }
        var rank = [Int](repeating: 0, count: n)
        var front = (0..<n).filter { dominatedBy[$0] == 0 }
        var r = 0
        while !front.isEmpty {
            var next: [Int] = []
            for i in front {
                rank[i] = r
                for j in dominates[i] { dominatedBy[j] -= 1; if dominatedBy[j] == 0 { next.append(j) } }
            }
            front = next; r += 1
        }
        return rank
    }

    /// Indices of the non-dominated points.
    public static func front(_ points: [[Double]]) -> [Int] {
        let r = ranks(points)
        return points.indices.filter { r[$0] == 0 }
    }

    /// Crowding distance of each point within one front (∞ at each objective's extremes).
    public static func crowding(_ points: [[Double]]) -> [Double] {
        let n = points.count
        var d = [Double](repeating: 0, count: n)
        guard n > 2, let m = points.first?.count else { return [Double](repeating: .infinity, count: n) }
        for k in 0..<m {
            let order = (0..<n).sorted { points[$0][k] < points[$1][k] || (points[$0][k] == points[$1][k] && $0 < $1) }
            let lo = points[order[0]][k], hi = points[order[n - 1]][k]
            d[order[0]] = .infinity; d[order[n - 1]] = .infinity
            if hi == lo { continue }
            for r in 1..<(n - 1) {
                d[order[r]] += (points[order[r + 1]][k] - points[order[r - 1]][k]) / (hi - lo)
            }
        }
        return d
    }

    /// NSGA-II elitist selection: the `count` best indices by rank, the last admitted front
    /// cut by descending crowding distance (ties by index, so it is deterministic).
    public static func selectBest(_ points: [[Double]], count: Int) -> [Int] {
        if count >= points.count { return Array(points.indices) }
        if count <= 0 { return [] }
        let r = ranks(points)
        var out: [Int] = []
        var level = 0
        while out.count < count {
            let f = points.indices.filter { r[$0] == level }
            if out.count + f.count <= count { out += f } else {
                let cd = crowding(f.map { points[$0] })
                let order = f.indices.sorted { cd[$0] > cd[$1] || (cd[$0] == cd[$1] && $0 < $1) }
                out += order.prefix(count - out.count).map { f[$0] }
            }
            level += 1
        }
        return out
    }
}
