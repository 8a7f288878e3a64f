import HoneCompute
import HoneKernels

/// A sparse matrix in compressed sparse row form (CSR): row r's non-zeros are
/// `values[rowPointers[r]..<rowPointers[r+1]]` at columns `columnIndices[…]` (increasing).
///
/// ```swift
/// let m = CSRMatrix(dense: [1, 0, 0, 2], rows: 2, columns: 2)
/// m.nonZeroCount      // 2
/// m.density           // 0.5
/// ```
public struct CSRMatrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public let rowPointers: [Int32]
    public let columnIndices: [Int32]
    public let values: [Float]

    /// Validates the structure (`preconditionFailure` naming what is wrong).
    public init(rows: Int, columns: Int, rowPointers: [Int32], columnIndices: [Int32], values: [Float]) {
        precondition(rows >= 0 && columns >= 0 && rowPointers.count == rows + 1 && rowPointers.first == 0
                     && Int(rowPointers.last!) == values.count && columnIndices.count == values.count,
                     "CSRMatrix: \(rows)×\(columns) with \(rowPointers.count) row pointers, \(columnIndices.count) indices, \(values.count) values is inconsistent")
        for r in 0..<rows where rowPointers[r] > rowPointers[r + 1] {
            preconditionFailure("CSRMatrix: row pointers decrease at row \(r)")
        }
        for c in columnIndices where c < 0 || Int(c) >= columns {
            preconditionFailure("CSRMatrix: column index \(c) outside 0..<\(columns)")
        }
        self.rows = rows; self.columns = columns
        self.rowPointers = rowPointers; self.columnIndices = columnIndices; self.values = values
    }

    /// The non-zero entries of a row-major dense `rows × columns` matrix.
    public init(dense: [Float], rows: Int, columns: Int) {
        precondition(dense.count == rows * columns, "CSRMatrix(dense:): \(dense.count) values for \(rows)×\(columns)")
        var ptr: [Int32] = [0], idx: [Int32] = [], vals: [Float] = []
        for r in 0..<rows {
            for c in 0..<columns where dense[r * columns + c] != 0 {
                idx.append(Int32(c)); vals.append(dense[r * columns + c])
            }
            ptr.append(Int32(vals.count))
        }
        self.init(rows: rows, columns: columns, rowPointers: ptr, columnIndices: idx, values: vals)
    }

    public var nonZeroCount: Int { values.count }
    /// Fraction of non-zero entries.
    public var density: Double { rows * columns == 0 ? 0 : Double(values.count) / Double(rows * columns) }

    /// The dense row-major matrix.
    public func toDense() -> [Float] {
        var out = [Float](repeating: 0, count: rows * columns)
        for r in 0..<rows {
            for p in Int(rowPointers[r])..<Int(rowPointers[r + 1]) { out[r * columns + Int(columnIndices[p])] = values[p] }
        }
        return out
    }

    /// `y[r, j] = act(bias[r] + Σ_c A[r, c]·x[c, j])` for the dense right-hand side `x`
    /// (`columns × n`, row-major, row stride `ldx`) into `y` (`rows × n`, stride `ldy`), rows
    /// split across `Compute.threadCount` threads, on the `InstructionSet.active` kernel path
    /// (or `isa`). `relu` applies max(0, ·).
    public func multiply(_ x: UnsafePointer<Float>, ldx: Int, n: Int, bias: UnsafePointer<Float>?, relu: Bool,
                         into y: UnsafeMutablePointer<Float>, ldy: Int, isa: InstructionSet = .active) {
        let work = max(1, nonZeroCount * n)
        let minRows = max(1, rows * 32_768 / work)    // at least ~32k multiply-adds per task
        rowPointers.withUnsafeBufferPointer { rp in
            columnIndices.withUnsafeBufferPointer { ci in
                values.withUnsafeBufferPointer { v in
                    Compute.parallelFor(rows, minChunk: minRows) { range in
                        hone_spmm_csr(Int32(isa.rawValue), Int64(range.lowerBound), Int64(range.upperBound),
                                      rp.baseAddress, ci.baseAddress, v.baseAddress, x, Int64(ldx), Int64(n),
                                      bias, relu ? 1 : 0, y, Int64(ldy))
                    }
                }
            }
        }
    }
}
