/**
 * Whose file `state.db` is, and which format: start-up refuses a file that is not skiff's, a
 * corrupted one and one written by a newer skiff, with one line that names the file and what is wrong.
 *
 * The marks are sqlite's own: `PRAGMA application_id` says the file is skiff's (as `file(1)` reads it)
 * and `PRAGMA user_version` is the format of the tables.
 */
import type Database from 'better-sqlite3';

/** "skif" in ASCII: the `application_id` of every skiff state file. */
export const SKIFF_APPLICATION_ID = 0x736b6966;
/** The format this build writes and the newest it reads. */
export const STATE_FORMAT = 1;

/** A state file skiff must not open; the message is one line naming the file. */
export class StateFileError extends Error {
  override readonly name = 'StateFileError';
}

const schema = `
CREATE TABLE IF NOT EXISTS kv (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  create_revision INTEGER NOT NULL,
  mod_revision INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
`;

/** The tables of a skiff state file (format 1), also those of files written before the marks existed. */
const skiffTables = ['kv', 'meta'];

/** sqlite's answers that mean the bytes are not a sound database. */
const corruptCodes = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_INDEX', 'SQLITE_CORRUPT_SEQUENCE', 'SQLITE_CORRUPT_VTAB']);

/** What an open or read error of `path` means, in one line. */
export function stateFileError(path: string, err: unknown): Error {
  const code = (err as { code?: unknown }).code;
  const why = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
  if (code === 'SQLITE_NOTADB') return new StateFileError(`${path} is not a skiff state file: ${why} (move it away or choose another --data-dir)`);
  if (typeof code === 'string' && corruptCodes.has(code)) return new StateFileError(`${path} is corrupted: ${why} (restore it from a backup or choose another --data-dir)`);
  return new StateFileError(`cannot open the state file ${path}: ${why}`);
}

/**
 * Checks the marks of an open database before anything is written to it. Throws a `StateFileError`
 * for another program's database or a newer format.
 */
export function checkStateFile(db: Database.Database, path: string): void {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
  const appId = Number(db.pragma('application_id', { simple: true }));
  const format = Number(db.pragma('user_version', { simple: true }));
  const ours = appId === SKIFF_APPLICATION_ID || (appId === 0 && format === 0 && tables.length > 0 && tables.every((t) => skiffTables.includes(t)));
  if (tables.length > 0 && !ours) {
    const whose = appId === 0 ? 'a sqlite database' : `a sqlite database with application_id 0x${appId.toString(16)}`;
    throw new StateFileError(`${path} is not a skiff state file: it is ${whose} of another program (tables: ${tables.join(', ')}); move it away or choose another --data-dir`);
  }
  if (appId === SKIFF_APPLICATION_ID && format > STATE_FORMAT) {
    throw new StateFileError(`${path} was written by a newer skiff (state format ${format}; this skiff reads up to ${STATE_FORMAT}); run that skiff or a newer one`);
  }
}

/** Creates the tables of a new state file and marks it (a file from before the marks gets them too). */
export function initStateFile(db: Database.Database): void {
  db.exec(schema);
  const appId = Number(db.pragma('application_id', { simple: true }));
  const format = Number(db.pragma('user_version', { simple: true }));
  if (appId !== SKIFF_APPLICATION_ID) db.pragma(`application_id = ${SKIFF_APPLICATION_ID}`);
  if (format !== STATE_FORMAT) db.pragma(`user_version = ${STATE_FORMAT}`);
}
