import Foundation
import VaporCSQLite

/// An error code and message from SQLite.
struct SQLiteError: Error, CustomStringConvertible {
    let code: Int32
    let message: String
    let sql: String
    /// SQLITE_BUSY or SQLITE_LOCKED (any extended code): another connection holds the lock.
    var isBusy: Bool { code & 0xFF == SQLITE_BUSY || code & 0xFF == SQLITE_LOCKED }
    var description: String { "SQLite error \(code): \(message) (in: \(sql))" }
}

/// A value bound to or read from a statement.
enum SQLValue {
    case int(Int64), double(Double), text(String), null
}

/// A thin synchronous wrapper over one SQLite connection (the copy of SQLite vendored by
/// sqlite-nio, called directly through its C API: no event loop, no futures). Not thread-safe:
/// ``SQLiteStorage`` serializes access with a lock. Prepared statements are cached by SQL text.
final class SQLiteDatabase {
    let path: String
    private let db: OpaquePointer
    private var cache: [String: OpaquePointer] = [:]
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(path: String) throws {
        self.path = path
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard rc == SQLITE_OK, let handle else {
            let msg = handle.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "cannot open"
            if let handle { sqlite_nio_sqlite3_close_v2(handle) }
            throw SQLiteError(code: rc, message: msg, sql: "open \(path)")
        }
        db = handle
        sqlite_nio_sqlite3_extended_result_codes(db, 1)
        // Busy handler: short jittered sleeps growing to ~4 ms, for up to ~20 s, instead of
        // busy_timeout's coarse 1…100 ms steps; callers still retry whole transactions on BUSY.
        sqlite_nio_sqlite3_busy_handler(db, { _, count in
            if count > 5000 { return 0 }
            let base = UInt32(50) << UInt32(min(Int(count), 6))    // 50 µs … 3.2 ms
            usleep(base / 2 + UInt32.random(in: 0...base))
            return 1
        }, nil)
    }

    deinit {
        for (_, s) in cache { sqlite_nio_sqlite3_finalize(s) }
        sqlite_nio_sqlite3_close_v2(db)
    }

    private func error(_ rc: Int32, _ sql: String) -> SQLiteError {
        SQLiteError(code: rc, message: String(cString: sqlite_nio_sqlite3_errmsg(db)), sql: sql)
    }

    /// Runs one or more statements without parameters or results.
    func exec(_ sql: String) throws {
        let rc = sqlite_nio_sqlite3_exec(db, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw error(rc, sql) }
    }

    private func statement(_ sql: String) throws -> OpaquePointer {
        if let s = cache[sql] { return s }
        var s: OpaquePointer?
        let rc = sqlite_nio_sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &s, nil)
        guard rc == SQLITE_OK, let s else { throw error(rc, sql) }
        cache[sql] = s
        return s
    }

    /// Runs `sql` with `args`, calling `row` for each result row.
    func query(_ sql: String, _ args: [SQLValue] = [], row: (SQLiteRow) throws -> Void = { _ in }) throws {
        let s = try statement(sql)
        defer { sqlite_nio_sqlite3_reset(s); sqlite_nio_sqlite3_clear_bindings(s) }
        for (i, a) in args.enumerated() {
            let idx = Int32(i + 1)
            let rc: Int32
            switch a {
            case .int(let v): rc = sqlite_nio_sqlite3_bind_int64(s, idx, v)
            case .double(let v): rc = sqlite_nio_sqlite3_bind_double(s, idx, v)
            case .text(let v): rc = sqlite_nio_sqlite3_bind_text(s, idx, v, -1, Self.transient)
            case .null: rc = sqlite_nio_sqlite3_bind_null(s, idx)
            }
            guard rc == SQLITE_OK else { throw error(rc, sql) }
        }
        while true {
            let rc = sqlite_nio_sqlite3_step(s)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else { throw error(rc, sql) }
            try row(SQLiteRow(stmt: s))
        }
    }

    /// Runs `sql` and returns the first column of the first row as an integer, if any.
    func scalarInt(_ sql: String, _ args: [SQLValue] = []) throws -> Int64? {
        var out: Int64?
        try query(sql, args) { r in if out == nil, !r.isNull(0) { out = r.int(0) } }
        return out
    }

    /// Rows changed by the last INSERT/UPDATE/DELETE.
    var changes: Int { Int(sqlite_nio_sqlite3_changes(db)) }
    var lastInsertRowID: Int64 { sqlite_nio_sqlite3_last_insert_rowid(db) }

    /// Runs `body` in a transaction (`BEGIN IMMEDIATE` for writers, so the write lock is taken
    /// up front and no deadlock between two upgrading readers is possible). If SQLite still
    /// reports BUSY, the whole transaction is retried after a jittered exponential backoff.
    func transaction<T>(write: Bool, _ body: () throws -> T) throws -> T {
        try retryingBusy {
            try exec(write ? "BEGIN IMMEDIATE" : "BEGIN")
            do {
                let r = try body()
                try exec("COMMIT")
                return r
            } catch {
                try? exec("ROLLBACK")
                throw error
            }
        }
    }

    /// Runs `body`, retrying it on SQLITE_BUSY after jittered exponential backoff
    /// (0.5 ms doubling to 200 ms, ×U(0.5, 1.5)), up to 50 times.
    func retryingBusy<T>(_ body: () throws -> T) throws -> T {
        var attempt = 0
        while true {
            do { return try body() } catch let e as SQLiteError where e.isBusy && attempt < 50 {
                attempt += 1
                let ms = min(200.0, 0.5 * Double(1 << min(attempt, 10)))
                usleep(UInt32(ms * Double.random(in: 500...1500)))
            }
        }
    }
}

/// The current row of a statement.
struct SQLiteRow {
    let stmt: OpaquePointer
    func isNull(_ i: Int32) -> Bool { sqlite_nio_sqlite3_column_type(stmt, i) == SQLITE_NULL }
    func int(_ i: Int32) -> Int64 { sqlite_nio_sqlite3_column_int64(stmt, i) }
    func double(_ i: Int32) -> Double { sqlite_nio_sqlite3_column_double(stmt, i) }
    func text(_ i: Int32) -> String {
        guard let p = sqlite_nio_sqlite3_column_text(stmt, i) else { return "" }
        return String(cString: p)
    }
    func optionalDouble(_ i: Int32) -> Double? { isNull(i) ? nil : double(i) }
}
