import Foundation
import HoneTune

/// The parts of a `postgresql://user[:password]@host[:port]/database[?reconnect_timeout=S&durability=process|power&application_name=N]` URL
/// (`postgres://` is accepted too, as libpq does). A host starting with `/` (percent-encoded,
/// e.g. `postgresql://hone@%2Fvar%2Frun%2Fpostgresql/db`) is a Unix-socket directory.
/// Without a password in the URL, `PGPASSWORD` from the environment is used.
///
/// ```swift
/// let u = try PostgresURL("postgresql://hone:secret@127.0.0.1:5432/studies")
/// u.host   // "127.0.0.1";  u.redacted  // "postgresql://hone:***@127.0.0.1:5432/studies"
/// ```
public struct PostgresURL: Sendable, Hashable {
    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    /// Seconds a lost server is waited for (reconnecting with backoff) before giving up.
    public var reconnectTimeout: Double
    /// Shown in `pg_stat_activity.application_name` (default `hone`).
    public var applicationName: String
    /// How far a commit is guaranteed to survive (URL option `durability=process|power`).
    public var durability: Durability

    /// The PostgreSQL counterpart of ``SQLiteStorage/Durability``.
    public enum Durability: String, Sendable {
        /// `synchronous_commit=off` (default): a commit survives the crash or kill of any
        /// worker and any clean restart of the server (shutdown writes the WAL); a crash of the
        /// server process or machine may lose the last ≤ 0.6 s of commits (3 × wal_writer_delay),
        /// never corrupt the database. Like SQLite's WAL with `synchronous=NORMAL`.
        case process
        /// `synchronous_commit=on`: every commit waits for its WAL fsync (one disk flush per
        /// write; about 4.5 ms each on this machine's disk).
        case power
    }

    public init(_ url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        func bad(_ reason: String) -> TuneError { .invalidStorageURL(url: Self.redact(url), reason: reason) }
        let lower = url.lowercased()
        guard lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://"),
              let parts = URLComponents(string: url) else {
            throw bad("expected postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE")
        }
        guard let user = parts.user, !user.isEmpty else { throw bad("the user name is missing (postgresql://USER@HOST/DATABASE)") }
        let host = parts.percentEncodedHost.flatMap { $0.removingPercentEncoding } ?? ""
        guard !host.isEmpty else { throw bad("the host is missing (postgresql://USER@HOST/DATABASE)") }
        let db = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        guard !db.isEmpty, !db.contains("/") else { throw bad("the database name is missing or has a '/' (…@HOST/DATABASE)") }
        self.user = user.removingPercentEncoding ?? user
        self.password = parts.password.map { $0.removingPercentEncoding ?? $0 } ?? environment["PGPASSWORD"]
        self.host = host
        self.port = parts.port ?? 5432
        self.database = db
        self.reconnectTimeout = 60
        self.applicationName = "hone"
        self.durability = .process
        for item in parts.queryItems ?? [] {
            switch item.name {
            case "reconnect_timeout":
                guard let v = item.value.flatMap(Double.init), v >= 0 else {
                    throw bad("reconnect_timeout: expected seconds >= 0, got '\(item.value ?? "")'")
                }
                reconnectTimeout = v
            case "durability":
                guard let d = item.value.flatMap(Durability.init(rawValue:)) else {
                    throw bad("durability: expected process or power, got '\(item.value ?? "")'")
                }
                durability = d
            case "application_name":
                applicationName = item.value ?? ""
            default:
                throw bad("unknown option '\(item.name)' (known: reconnect_timeout, durability, application_name)")
            }
        }
    }

    /// The URL with the password replaced by `***`, for messages and logs.
    public var redacted: String {
        let pw = password == nil ? "" : ":***"
        return "postgresql://\(user)\(pw)@\(host):\(port)/\(database)"
    }

    static func redact(_ url: String) -> String {
        guard let at = url.range(of: "@"), let scheme = url.range(of: "://"),
              let colon = url[scheme.upperBound..<at.lowerBound].firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at.lowerBound...])
    }
}
