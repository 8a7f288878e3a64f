/// The PostgreSQL schema of ``PostgresStorage`` (version 1). Tables are prefixed `hone_` so a
/// study database can be shared with other applications.
///
/// - `hone_studies.seq` counts every change to the study's trials; each trial row keeps the
///   `seq` of its last change, so a reader fetches only rows above what it has cached. Every
///   trial write first updates the study row, so the study row's lock serializes the writers of
///   one study (and so no two of them can deadlock, and a change counter is never committed out
///   of order). Heartbeats touch only trial rows and do not bump `seq`.
/// - `hone_studies.next_number` is the trial-number counter, claimed under that row lock.
/// - `heartbeat_at` is seconds since 1970 on the SERVER's clock (`now()`), so worker clocks
///   never matter for staleness.
/// - Objective values are text (`values_text`, space-separated) to keep NaN/±inf exact, as in
///   the SQLite schema.
enum PostgresSchema {
    static let version = 1
    /// Key of the advisory lock that serializes schema creation between starting workers.
    static let advisoryLock: Int64 = 0x486F_6E65_5363_6831   // "HoneSch1"

    static let create = [
        "CREATE TABLE IF NOT EXISTS hone_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS hone_studies(
            id BIGSERIAL PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            directions TEXT NOT NULL,
            seq BIGINT NOT NULL DEFAULT 0,
            next_number BIGINT NOT NULL DEFAULT 0,
            created_at DOUBLE PRECISION NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS hone_study_attrs(
            study_id BIGINT NOT NULL REFERENCES hone_studies(id),
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY(study_id, key))
        """,
        """
        CREATE TABLE IF NOT EXISTS hone_trials(
            id BIGSERIAL PRIMARY KEY,
            study_id BIGINT NOT NULL REFERENCES hone_studies(id),
            number BIGINT NOT NULL,
            state TEXT NOT NULL,
            values_text TEXT,
            started_at DOUBLE PRECISION,
            completed_at DOUBLE PRECISION,
            heartbeat_at DOUBLE PRECISION,
            seq BIGINT NOT NULL,
            UNIQUE(study_id, number))
        """,
        "CREATE INDEX IF NOT EXISTS hone_trials_by_state ON hone_trials(study_id, state)",
        "CREATE INDEX IF NOT EXISTS hone_trials_by_seq ON hone_trials(study_id, seq)",
        """
        CREATE TABLE IF NOT EXISTS hone_trial_params(
            trial_id BIGINT NOT NULL REFERENCES hone_trials(id),
            name TEXT NOT NULL,
            value DOUBLE PRECISION NOT NULL,
            distribution TEXT NOT NULL,
            PRIMARY KEY(trial_id, name))
        """,
        """
        CREATE TABLE IF NOT EXISTS hone_trial_intermediate(
            trial_id BIGINT NOT NULL REFERENCES hone_trials(id),
            step BIGINT NOT NULL,
            value DOUBLE PRECISION NOT NULL,
            PRIMARY KEY(trial_id, step))
        """,
        """
        CREATE TABLE IF NOT EXISTS hone_trial_attrs(
            trial_id BIGINT NOT NULL REFERENCES hone_trials(id),
            system BOOLEAN NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY(trial_id, system, key))
        """,
        "INSERT INTO hone_meta(key, value) VALUES ('schema_version', '1') ON CONFLICT (key) DO NOTHING",
    ]
}
