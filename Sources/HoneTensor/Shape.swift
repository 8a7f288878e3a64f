/// Shape arithmetic shared by the ops: element counts, row-major strides, NumPy broadcasting.

enum Shape {
    static func count(_ shape: [Int]) -> Int {
        var n = 1
        for d in shape { n &*= d }
        return n
    }

    static func validate(_ shape: [Int], op: String) {
        for d in shape where d < 0 {
            fatalError("\(op): negative dimension in shape \(shape)")
        }
    }

    static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var s = 1
        for d in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[d] = s
            s *= max(shape[d], 1)
        }
        return strides
    }

    /// Dense row-major layout, ignoring the strides of size-1 dimensions.
    static func isContiguous(shape: [Int], strides: [Int]) -> Bool {
        var expected = 1
        for d in stride(from: shape.count - 1, through: 0, by: -1) {
            if shape[d] == 1 { continue }
            if shape[d] == 0 { return true }
            if strides[d] != expected { return false }
            expected *= shape[d]
        }
        return true
    }

    /// NumPy broadcasting: align trailing dimensions; each pair must be equal or contain a 1.
    static func broadcast(_ a: [Int], _ b: [Int], op: String) -> [Int] {
        if a == b { return a }
        let n = max(a.count, b.count)
        var out = [Int](repeating: 1, count: n)
        for i in 0..<n {
            let da = i < n - a.count ? 1 : a[i - (n - a.count)]
            let db = i < n - b.count ? 1 : b[i - (n - b.count)]
            if da == db || db == 1 { out[i] = da } else if da == 1 { out[i] = db } else {
                fatalError("\(op): shapes \(a) and \(b) are not broadcastable")
            }
        }
        return out
    }

    /// Strides that read a tensor of `shape`/`strides` as if it had `target` shape (0 strides
    /// on broadcast dimensions). `shape` must broadcast to `target`.
    static func broadcastStrides(shape: [Int], strides: [Int], to target: [Int]) -> [Int] {
        let lead = target.count - shape.count
        var out = [Int](repeating: 0, count: target.count)
        for i in 0..<shape.count {
            out[lead + i] = shape[i] == 1 && target[lead + i] != 1 ? 0 : strides[i]
        }
        return out
    }

    /// Maps a possibly negative axis into `0..<rank`.
    static func axis(_ axis: Int, rank: Int, op: String) -> Int {
        let a = axis < 0 ? axis + rank : axis
        check(a >= 0 && a < max(rank, 1), "\(op): axis \(axis) out of range for rank \(rank)")
        return a
    }

    /// Normalized, sorted, de-duplicated axes.
    static func axes(_ axes: [Int], rank: Int, op: String) -> [Int] {
        Array(Set(axes.map { axis($0, rank: rank, op: op) })).sorted()
    }
}
