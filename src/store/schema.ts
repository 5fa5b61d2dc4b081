// The SQLite schema of an experiment store and its upgrades.

/** 2: trial status `stopped`, the trial's `resource` and the `rungs` table (multi-fidelity searches). */
export const SCHEMA_VERSION = 2;

export const TRIAL_COLUMNS = 'number, status, choices, genotype, key, metrics, reward, seed, started_at, finished_at, error, cached_from, info';

const trialsTable = (name: string) => `
CREATE TABLE IF NOT EXISTS ${name} (
  number INTEGER PRIMARY KEY,
  status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'failed', 'cached', 'stopped')),
  choices TEXT NOT NULL,
  genotype TEXT NOT NULL,
  key TEXT NOT NULL,
  metrics TEXT,
  reward REAL,
  seed INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  error TEXT,
  cached_from INTEGER,
  info TEXT,
  resource REAL
);`;

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS experiment (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  config TEXT NOT NULL
);
${trialsTable('trials')}
CREATE INDEX IF NOT EXISTS trials_key ON trials (key);
CREATE TABLE IF NOT EXISTS checkpoints (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  created_at INTEGER NOT NULL,
  next_trial INTEGER NOT NULL,
  state TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rungs (
  trial INTEGER NOT NULL,
  resource REAL NOT NULL,
  metrics TEXT,
  reward REAL,
  error TEXT,
  finished_at INTEGER NOT NULL,
  PRIMARY KEY (trial, resource)
);
CREATE TABLE IF NOT EXISTS reevaluations (
  trial INTEGER NOT NULL,
  seed INTEGER NOT NULL,
  metrics TEXT,
  reward REAL,
  error TEXT,
  finished_at INTEGER NOT NULL,
  PRIMARY KEY (trial, seed)
);
`;

/**
 * Version 1 to 2: SQLite cannot change a CHECK constraint in place, so the trials table is copied into
 * one that allows `stopped` and has the `resource` column (the other new table comes with SCHEMA).
 */
export const MIGRATE_V1 = `
${trialsTable('trials_v2')}
INSERT INTO trials_v2 (${TRIAL_COLUMNS}) SELECT ${TRIAL_COLUMNS} FROM trials;
DROP TABLE trials;
ALTER TABLE trials_v2 RENAME TO trials;
CREATE INDEX IF NOT EXISTS trials_key ON trials (key);
`;

/** Tables every tsnas store has had since version 1 (a file without them is not an experiment). */
export const CORE_TABLES = ['experiment', 'trials', 'checkpoints'] as const;
