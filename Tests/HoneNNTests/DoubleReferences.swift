import Foundation

/// Independent Double implementations of the layers under test (straight from the papers'/PyTorch
/// docs' equations), used as forward references and for finite differences.
enum Ref {
    static func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    /// BatchNorm training forward over x [n, c, s] (row-major), biased batch variance.
    static func batchNorm(_ x: [Double], _ gamma: [Double], _ beta: [Double], n: Int, c: Int, s: Int, eps: Double = 1e-5) -> [Double] {
        var y = x
        let m = Double(n * s)
        for ch in 0..<c {
            var mean = 0.0
            for i in 0..<n { for j in 0..<s { mean += x[(i * c + ch) * s + j] } }
            mean /= m
            var v = 0.0
            for i in 0..<n { for j in 0..<s { let d = x[(i * c + ch) * s + j] - mean; v += d * d } }
            v /= m
            for i in 0..<n { for j in 0..<s {
                let k = (i * c + ch) * s + j
                y[k] = gamma[ch] * (x[k] - mean) / (v + eps).squareRoot() + beta[ch]
            } }
        }
        return y
    }

    /// LayerNorm over the last `d` values of each row.
    static func layerNorm(_ x: [Double], _ w: [Double], _ b: [Double], d: Int, eps: Double = 1e-5) -> [Double] {
        var y = x
        for r in 0..<(x.count / d) {
            let row = x[(r * d)..<(r * d + d)]
            let mean = row.reduce(0, +) / Double(d)
            let v = row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(d)
            for j in 0..<d { y[r * d + j] = (x[r * d + j] - mean) / (v + eps).squareRoot() * w[j] + b[j] }
        }
        return y
    }

    /// W·v for W [rows, cols] row-major.
    static func matvec(_ w: [Double], _ v: [Double], rows: Int, cols: Int, offset: Int = 0) -> [Double] {
        (0..<rows).map { r in (0..<cols).reduce(0) { $0 + w[r * cols + $1] * v[offset + $1] } }
    }

    /// PyTorch LSTM (batch_first) returning every hidden state [b, t, h].
    static func lstm(_ x: [Double], _ wih: [Double], _ whh: [Double], _ bih: [Double], _ bhh: [Double],
                     b: Int, t: Int, f: Int, h: Int) -> [Double] {
        var out = [Double](repeating: 0, count: b * t * h)
        for bi in 0..<b {
            var hs = [Double](repeating: 0, count: h), cs = hs
            for ti in 0..<t {
                let xi = matvec(wih, x, rows: 4 * h, cols: f, offset: (bi * t + ti) * f)
                let hh = matvec(whh, hs, rows: 4 * h, cols: h)
                var a = [Double](repeating: 0, count: 4 * h)
                for k in 0..<(4 * h) { a[k] = xi[k] + bih[k] + hh[k] + bhh[k] }
                for j in 0..<h {
                    let i = sigmoid(a[j]), fg = sigmoid(a[h + j]), g = tanh(a[2 * h + j]), o = sigmoid(a[3 * h + j])
                    cs[j] = fg * cs[j] + i * g
                    hs[j] = o * tanh(cs[j])
                }
                for j in 0..<h { out[(bi * t + ti) * h + j] = hs[j] }
            }
        }
        return out
    }

    /// PyTorch GRU (batch_first) returning every hidden state [b, t, h].
    static func gru(_ x: [Double], _ wih: [Double], _ whh: [Double], _ bih: [Double], _ bhh: [Double],
                    b: Int, t: Int, f: Int, h: Int) -> [Double] {
        var out = [Double](repeating: 0, count: b * t * h)
        for bi in 0..<b {
            var hs = [Double](repeating: 0, count: h)
            for ti in 0..<t {
                let xi = matvec(wih, x, rows: 3 * h, cols: f, offset: (bi * t + ti) * f)
                let hh = matvec(whh, hs, rows: 3 * h, cols: h)
                var next = hs
                for j in 0..<h {
                    let r = sigmoid(xi[j] + bih[j] + hh[j] + bhh[j])
                    let z = sigmoid(xi[h + j] + bih[h + j] + hh[h + j] + bhh[h + j])
                    let n = tanh(xi[2 * h + j] + bih[2 * h + j] + r * (hh[2 * h + j] + bhh[2 * h + j]))
                    next[j] = (1 - z) * n + z * hs[j]
                }
                hs = next
                for j in 0..<h { out[(bi * t + ti) * h + j] = hs[j] }
            }
        }
        return out
    }

    /// log-softmax of each row of x [n, c].
    static func logSoftmax(_ x: [Double], n: Int, c: Int) -> [Double] {
        var out = x
        for r in 0..<n {
            let row = x[(r * c)..<(r * c + c)]
            let m = row.max()!
            let lse = m + log(row.reduce(0) { $0 + exp($1 - m) })
            for j in 0..<c { out[r * c + j] = x[r * c + j] - lse }
        }
        return out
    }

    static func softplus(_ x: Double) -> Double { x > 0 ? x + log1p(exp(-x)) : log1p(exp(x)) }
}
