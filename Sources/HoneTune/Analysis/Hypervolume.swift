/// Hypervolume: the measure of the region dominated by a set of loss vectors and bounded by
/// a reference point (Zitzler & Thiele 1998). Exact in any dimension: a sweep for two
/// objectives (O(n log n)), and recursive slicing over the last objective ("HSO", While et al.,
/// IEEE TEC 10(1), 2006) for three or more, which is fast for the front sizes of HPO studies.
///
/// ```swift
/// Hypervolume.compute([[0, 1], [1, 0]], reference: [2, 2])   // 3
/// ```
public enum Hypervolume {
    public static func compute(_ points: [[Double]], reference: [Double]) -> Double {
        let pts = points.filter { p in zip(p, reference).allSatisfy { $0 < $1 } }
        if pts.isEmpty { return 0 }
        return hv(pts, reference)
    }

    static func hv(_ points: [[Double]], _ r: [Double]) -> Double {
        let m = r.count
        if m == 1 { return r[0] - points.map { $0[0] }.min()! }
        if m == 2 {
            // Sort by f₁ ascending; each point adds (r₁ − f₁)(f₂ of the previous best − f₂).
            let s = points.sorted { $0[0] < $1[0] || ($0[0] == $1[0] && $0[1] < $1[1]) }
            var total = 0.0, lastF2 = r[1]
            for p in s where p[1] < lastF2 {
                total += (r[0] - p[0]) * (lastF2 - p[1])
                lastF2 = p[1]
            }
            return total
        }
        // Slice along the last objective: between consecutive levels, the dominated region is
        // the (m−1)-dimensional hypervolume of the points at or below that level.
        let s = points.sorted { $0[m - 1] < $1[m - 1] }
        var total = 0.0
        var active: [[Double]] = []
        for (i, p) in s.enumerated() {
            active.append(Array(p[0..<(m - 1)]))
            let next = i + 1 < s.count ? s[i + 1][m - 1] : r[m - 1]
            let depth = next - p[m - 1]
            if depth > 0 {
                let front = Pareto.front(active).map { active[$0] }
                active = front
                total += depth * hv(front, Array(r[0..<(m - 1)]))
            }
        }
        return total
    }
}
