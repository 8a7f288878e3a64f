/// The SQLite schema of ``SQLiteStorage`` (version 1).
///
/// - `studies.seq` counts every change to the study's trials; each trial row stores the `seq`
///   of its last change, so a reader fetches only trials with `seq` above what it has cached.
/// - Heartbeats do not bump `seq` (they are not part of a trial's record).
/// - Values and intermediate values are REAL; NaN (which SQLite stores as NULL) is read back
///   as NaN. Objective values are stored as text (`values_text`, space-separated) to keep
///   NaN/±inf exact.
enum SQLiteSchema {
    static let version: Int64 = 1

    static let create = """
    CREATE TABLE IF NOT EXISTS hone_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS studies(
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        directions TEXT NOT NULL,
        seq INTEGER NOT NULL DEFAULT 0,
        created_at REAL NOT NULL);
    CREATE TABLE IF NOT EXISTS study_attrs(
        study_id INTEGER NOT NULL REFERENCES studies(id),
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY(study_id, key));
    CREATE TABLE IF NOT EXISTS trials(
        id INTEGER PRIMARY KEY,
        study_id INTEGER NOT NULL REFERENCES studies(id),
        number INTEGER NOT NULL,
        state TEXT NOT NULL,
        values_text TEXT,
        started_at REAL,
        completed_at REAL,
        heartbeat_at REAL,
        seq INTEGER NOT NULL,
        UNIQUE(study_id, number));
    CREATE INDEX IF NOT EXISTS trials_by_state ON trials(study_id, state);
    CREATE INDEX IF NOT EXISTS trials_by_seq ON trials(study_id, seq);
    CREATE TABLE IF NOT EXISTS trial_params(
        trial_id INTEGER NOT NULL REFERENCES trials(id),
        name TEXT NOT NULL,
        value REAL NOT NULL,
        distribution TEXT NOT NULL,
        PRIMARY KEY(trial_id, name));
    CREATE TABLE IF NOT EXISTS trial_intermediate(
        trial_id INTEGER NOT NULL REFERENCES trials(id),
        step INTEGER NOT NULL,
        value REAL,
        PRIMARY KEY(trial_id, step));
    CREATE TABLE IF NOT EXISTS trial_attrs(
        trial_id INTEGER NOT NULL REFERENCES trials(id),
        system INTEGER NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY(trial_id, system, key));
    INSERT OR IGNORE INTO hone_meta(key, value) VALUES ('schema_version', '1');
    """
}
