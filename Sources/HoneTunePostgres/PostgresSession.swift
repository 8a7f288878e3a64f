import Foundation
import HoneTune
import Logging
import PostgresNIO

/// One PostgreSQL connection used synchronously, on its own one-thread event loop.
///
/// Bridging: PostgresNIO's `EventLoopFuture` API is used and each call blocks its (non event
/// loop) caller with `wait()`. No Swift concurrency task is involved, so there is no
/// cooperative-pool thread to starve and no deadlock with the event loop (whose only thread is
/// never the caller). Calls are serialized by a lock; several queries of one call are
/// *pipelined* (all written before the first reply is awaited), so a transaction of independent
/// statements costs one network round trip.
///
/// Failures: a lost connection (server restart, network) is re-opened with jittered exponential
/// backoff (50 ms doubling to 2 s) and the whole operation is retried, for up to
/// `reconnectTimeout` seconds; serialization failures and deadlocks (SQLSTATE 40001, 40P01) are
/// retried at once. After the timeout the session is *lost*: that call and every later one
/// throw ``TuneError/storage(path:message:)`` without touching the database.
final class PostgresSession: @unchecked Sendable {
    let url: PostgresURL
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let lock = NSLock()
    private var connection: PostgresConnection?
    private let prepared = PreparedCache()
    private var lostReason: String?
    private var nextID = 0
    private let logger: Logger = {
        var l = Logger(label: "hone.postgres")
        l.logLevel = .critical
        return l
    }()

    init(url: PostgresURL) { self.url = url }

    deinit {
        if let connection { try? connection.close().wait() }
        try? group.syncShutdownGracefully()
    }

    /// Closes the connection (later calls reconnect).
    func close() {
        lock.lock(); defer { lock.unlock() }
        if let c = connection { try? c.close().wait() }
        connection = nil
    }

    /// Runs `body` with a connected ``Pipeline``, retrying as described above. `body` must be
    /// safe to run again from the start (it is one transaction, or idempotent statements);
    /// `retried` tells it whether an earlier attempt may have committed before the connection
    /// dropped (so it can recognize its own effect).
    func withRetry<T>(_ body: (Pipeline, _ retried: Bool) throws -> T) throws -> T {
        lock.lock(); defer { lock.unlock() }
        if let lostReason { throw lost(lostReason) }
        var firstFailure: Date?
        var attempt = 0
        var retried = false
        while true {
            let kind: Failure
            let err: any Error
            do {
                let c = try connected()
                return try body(Pipeline(connection: c, logger: logger, cache: prepared), retried)
            } catch {
                kind = Self.classify(error); err = error
            }
            switch kind {
            case .permanent:
                throw Self.wrap(err, url)
            case .conflict:
                attempt += 1
                if attempt > 100 { throw Self.wrap(err, url) }
                usleep(UInt32.random(in: 100...2000))
            case .connection:
                if let c = connection { _ = try? c.close().wait() }
                connection = nil
                retried = true
                let start = firstFailure ?? Date()
                firstFailure = start
                if Date().timeIntervalSince(start) >= url.reconnectTimeout {
                    let reason = "lost the server at \(url.host):\(url.port) and could not reconnect for "
                        + "\(Int(url.reconnectTimeout)) s (last error: \(Self.describe(err))); nothing was marked "
                        + "failed by this worker — start it again once the server is back"
                    lostReason = reason
                    throw lost(reason)
                }
                attempt += 1
                let base = min(2.0, 0.05 * pow(2, Double(min(attempt, 6))))
                usleep(UInt32(base * Double.random(in: 0.5...1.0) * 1e6))
            }
        }
    }

    private func lost(_ reason: String) -> TuneError { .storage(path: url.redacted, message: reason) }

    private func connected() throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        var config: PostgresConnection.Configuration
        if url.host.hasPrefix("/") {
            let socket = url.host.hasSuffix(".s.PGSQL.\(url.port)") ? url.host : url.host + "/.s.PGSQL.\(url.port)"
            config = .init(unixSocketPath: socket, username: url.user, password: url.password, database: url.database)
        } else {
            config = .init(host: url.host, port: url.port, username: url.user, password: url.password,
                           database: url.database, tls: .disable)
        }
        config.options.additionalStartupParameters = [
            ("application_name", url.applicationName),
            ("synchronous_commit", url.durability == .power ? "on" : "off"),
        ]
        config.options.connectTimeout = .seconds(10)
        nextID += 1
        let c = try PostgresConnection.connect(on: group.next(), configuration: config, id: nextID, logger: logger).wait()
        prepared.clear()
        connection = c
        return c
    }

    enum Failure { case permanent, conflict, connection }

    /// Sorts an error into "retry on a new connection", "retry now" or "give up".
    static func classify(_ error: any Error) -> Failure {
        if let e = error as? PSQLError {
            switch e.code {
            case .server:
                let state = e.serverInfo?[.sqlState] ?? ""
                if state == "40001" || state == "40P01" { return .conflict }
                // 08: connection exceptions; 57P01-03: admin/crash shutdown, cannot connect now.
                if state.hasPrefix("08") || state.hasPrefix("57P") { return .connection }
                return .permanent
            case .serverClosedConnection, .connectionError, .uncleanShutdown, .clientClosedConnection,
                 .messageDecodingFailure, .unexpectedBackendMessage:
                return .connection
            default:
                return .permanent
            }
        }
        // Prepared statements report through PostgresNIO's older error type.
        if let e = error as? PostgresError {
            switch e {
            case .connectionClosed: return .connection
            case .protocol: return .connection
            case .server(let info):
                let state = info.fields[.sqlState] ?? ""
                if state == "40001" || state == "40P01" { return .conflict }
                if state.hasPrefix("08") || state.hasPrefix("57P") { return .connection }
                return .permanent
            }
        }
        if error is ChannelError || error is IOError || error is NIOConnectionError { return .connection }
        return .permanent
    }

    static func describe(_ error: any Error) -> String {
        if let e = error as? PSQLError {
            if let info = e.serverInfo {
                return "\(info[.sqlState] ?? "?"): \(info[.message] ?? "")"
            }
            if let u = e.underlying { return "\(e.code): \(u)" }
            return "\(e.code)"
        }
        if let e = error as? TuneError { return e.description }
        if case .server(let info)? = error as? PostgresError {
            return "\(info.fields[.sqlState] ?? "?"): \(info.fields[.message] ?? "")"
        }
        if let e = error as? PostgresDecodingError {
            return "cannot decode column \(e.columnName) (\(e.postgresType), \(e.postgresFormat)) as \(e.targetType)"
        }
        return String(describing: error)
    }

    static func wrap(_ error: any Error, _ url: PostgresURL) -> any Error {
        if error is TuneError { return error }
        return TuneError.storage(path: url.redacted, message: describe(error))
    }
}

/// One statement and its parameter values. Statements with `prepare` are prepared once per
/// connection (named, server-side: parsed and planned once, then only executed — a trial's
/// CTEs cost ~0.3 ms to plan each time otherwise); transaction control runs unprepared.
struct SQL {
    let text: String
    let values: [PGValue]
    let prepare: Bool
}

typealias Rows = [PostgresRow]

/// Prepared statements of the current connection, by SQL text.
final class PreparedCache: @unchecked Sendable {
    private let lock = NSLock()
    private var statements: [String: PreparedQuery] = [:]
    func get(_ sql: String) -> PreparedQuery? { lock.lock(); defer { lock.unlock() }; return statements[sql] }
    func set(_ sql: String, _ q: PreparedQuery) { lock.lock(); statements[sql] = q; lock.unlock() }
    func clear() { lock.lock(); statements = [:]; lock.unlock() }
}

/// Queries sent on one connection; `run` sends all, then waits for all (one round trip).
struct Pipeline {
    let connection: PostgresConnection
    let logger: Logger
    let cache: PreparedCache

    /// Sends all statements at once, then waits for all results (one round trip; a statement
    /// new to this connection costs one more, once). Throws the first error (later statements
    /// of a failed transaction fail too; the caller rolls back).
    func run(_ queries: [SQL]) throws -> [Rows] {
        var missing: [String] = []
        for q in queries where q.prepare && cache.get(q.text) == nil && !missing.contains(q.text) { missing.append(q.text) }
        if !missing.isEmpty {
            let futures = missing.map { connection.prepare(query: $0) }
            var first: (any Error)?
            for (sql, f) in zip(missing, futures) {
                do { cache.set(sql, try f.wait()) } catch { if first == nil { first = error } }
            }
            if let first { throw first }
        }
        let futures: [EventLoopFuture<Rows>] = queries.map { q in
            if q.prepare, let prepared = cache.get(q.text) {
                return prepared.execute(q.values.map(\.data))
            }
            return connection.query(PostgresQuery(unsafeSQL: q.text, binds: bindings(q.values)), logger: logger).map(\.rows)
        }
        var results: [Rows] = []
        var first: (any Error)?
        for f in futures {
            do { results.append(try f.wait()) } catch { if first == nil { first = error } }
        }
        if let first { throw first }
        return results
    }

    func run(_ q: SQL) throws -> Rows { try run([q])[0] }

    /// Runs `body`, whose pipelines open (`BEGIN`) and close (`COMMIT`) a transaction
    /// themselves; if it throws, the transaction is rolled back.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch {
            // A lost connection is rolled back by the server; a query sent on a closed channel
            // may never be answered, so ROLLBACK goes only to a live connection.
            if PostgresSession.classify(error) != .connection, !connection.isClosed {
                _ = try? run(pq("ROLLBACK"))
            }
            throw error
        }
    }
}

private let transactionControl: Set<String> = ["BEGIN", "COMMIT", "ROLLBACK", "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"]

/// A statement with `$n` placeholders; each placeholder gets an explicit cast to its value's
/// type (`$2::float8`), so the server infers the same types when the statement is prepared.
func pq(_ sql: String, _ values: [PGValue] = []) -> SQL {
    guard !values.isEmpty else { return SQL(text: sql, values: [], prepare: !transactionControl.contains(sql)) }
    var out = ""
    var i = sql.startIndex
    while i < sql.endIndex {
        let c = sql[i]
        out.append(c)
        i = sql.index(after: i)
        guard c == "$" else { continue }
        var digits = ""
        while i < sql.endIndex, let d = sql[i].wholeNumberValue { digits.append(String(d)); i = sql.index(after: i) }
        out += digits
        if let n = Int(digits), n >= 1, n <= values.count { out += "::" + values[n - 1].sqlType }
    }
    return SQL(text: out, values: values, prepare: true)
}

/// An unprepared statement (schema set-up, one-off queries).
func pqOnce(_ sql: String, _ values: [PGValue] = []) -> SQL {
    SQL(text: pq(sql, values).text, values: values, prepare: false)
}

private func bindings(_ values: [PGValue]) -> PostgresBindings {
    var b = PostgresBindings(capacity: values.count)
    for v in values {
        switch v {
        case .int(let x): b.append(x)
        case .double(let x): b.append(x)
        case .text(let x): b.append(x)
        case .bool(let x): b.append(x)
        case .optDouble(let x): b.append(x)
        case .optText(let x): b.append(x)
        case .ints(let x): b.append(x)
        case .doubles(let x): b.append(x)
        case .texts(let x): b.append(x)
        case .bools(let x): b.append(x)
        }
    }
    return b
}

enum PGValue {
    case int(Int64), double(Double), text(String), bool(Bool), optDouble(Double?), optText(String?)
    case ints([Int64]), doubles([Double]), texts([String]), bools([Bool])

    var sqlType: String {
        switch self {
        case .int: "int8"
        case .double, .optDouble: "float8"
        case .text, .optText: "text"
        case .bool: "bool"
        case .ints: "int8[]"
        case .doubles: "float8[]"
        case .texts: "text[]"
        case .bools: "bool[]"
        }
    }

    /// The value for a prepared statement's Bind message (binary, of `sqlType`).
    var data: PostgresData {
        switch self {
        case .int(let x): PostgresData(int64: x)
        case .double(let x): PostgresData(double: x)
        case .text(let x): PostgresData(string: x)
        case .bool(let x): PostgresData(bool: x)
        case .optDouble(let x): x.map { PostgresData(double: $0) } ?? PostgresData(type: .float8)
        case .optText(let x): x.map { PostgresData(string: $0) } ?? PostgresData(type: .text)
        case .ints(let x): PostgresData(array: x.map { PostgresData(int64: $0) }, elementType: .int8)
        case .doubles(let x): PostgresData(array: x.map { PostgresData(double: $0) }, elementType: .float8)
        case .texts(let x): PostgresData(array: x.map { PostgresData(string: $0) }, elementType: .text)
        case .bools(let x): PostgresData(array: x.map { PostgresData(bool: $0) }, elementType: .bool)
        }
    }
}

/// Reading cells. Every result Hone asks for is in binary format; the row description that
/// PostgresNIO keeps for a statement prepared through `prepare(query:)` says "text" (the
/// server's default for Describe) although the rows arrive in binary, so cells are read as
/// binary whatever they claim.
extension PostgresCell {
    private var binary: PostgresCell {
        PostgresCell(bytes: bytes, dataType: dataType, format: .binary, columnName: columnName, columnIndex: columnIndex)
    }

    func int64() throws -> Int64 { try binary.decode(Int64.self) }
    func optionalDouble() throws -> Double? { try binary.decode(Double?.self) }
    func double() throws -> Double { try binary.decode(Double.self) }
    func optionalString() throws -> String? { try binary.decode(String?.self) }
    func string() throws -> String { try binary.decode(String.self) }
    func bool() throws -> Bool { try binary.decode(Bool.self) }
}
