/**
 * The million-row benchmark's Q3: the fold behind the trigram index (core/query/fold.ts) agrees with each dialect's
 * LIKE. Two characters the fold counts that LIKE matches with each other always fold to the same
 * ASCII character — so a gram of a query is a gram of every text the LIKE finds it in. Checked
 * for every character of the BMP that the fold counts, against every other, in a column typed
 * as module text columns are (utf8mb4_unicode_ci on MariaDB, NOCASE on SQLite).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect } from '../../core/db/connect.js';
import { Database } from '../../core/db/database.js';
import { COLLATION_EXCEPTIONS, foldChar } from '../../core/query/fold.js';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/databases.js';

/** The BMP characters (no surrogates) that the fold counts, and the exceptions it leaves out, with their folds. */
const BMP = Array.from({ length: 0x10000 }, (_, code) => code)
  .filter((code) => code < 0xd800 || code > 0xdfff)
  .map((code) => ({ code, ch: String.fromCharCode(code), folded: foldChar(String.fromCharCode(code)) }))
  .filter((c) => c.folded !== null || COLLATION_EXCEPTIONS.has(c.code));
const counted = BMP.filter((c) => c.folded !== null);
const escape = (column: string) => `REPLACE(REPLACE(REPLACE(${column}, '!', '!!'), '%', '!%'), '_', '!_')`;

describeEachDialect('the trigram fold agrees with LIKE', (dialect) => {
  let handle: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    handle = await createTestDatabase(dialect);
    db = new Database(connect(handle.url));
    const text = dialect === 'sqlite' ? 'VARCHAR(4) COLLATE NOCASE' : 'VARCHAR(4) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci';
    await db.update({ sql: `CREATE TABLE chars (code INTEGER NOT NULL, c ${text} NOT NULL, f ${text})`, params: [] });
    for (let i = 0; i < BMP.length; i += 300) {
      const chunk = BMP.slice(i, i + 300);
      await db.insert({
        sql: `INSERT INTO chars (code, c, f) VALUES ${chunk.map((_, j) => `($${3 * j + 1}, $${3 * j + 2}, $${3 * j + 3})`).join(', ')}`,
        params: chunk.flatMap((c) => [c.code, c.ch, c.folded]),
      });
    }
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    await handle?.drop();
  });

  it('two counted characters that LIKE matches fold alike', async () => {
    const rows = await db.all({
      sql: `SELECT a.code AS a, b.code AS b FROM chars AS a JOIN chars AS b ON a.f IS NOT NULL AND b.f IS NOT NULL AND a.code < b.code
        WHERE a.c LIKE ${escape('b.c')} ESCAPE '!' AND a.f <> b.f`,
      params: [],
    });
    expect(counted.length).toBeGreaterThan(900);
    expect(rows.map((r) => [Number(r.a).toString(16), Number(r.b).toString(16)])).toEqual([]);
  }, 120_000);

  it('a character left out as a collation exception is one that LIKE does not match with its NFKD fold', async () => {
    // The list in fold.ts is exactly MariaDB's mismatches; SQLite matches no non-ASCII character with ASCII.
    const rows = await db.all({ sql: 'SELECT code FROM chars WHERE code IN (' + [...COLLATION_EXCEPTIONS].join(', ') + ')', params: [] });
    expect(rows).toHaveLength(COLLATION_EXCEPTIONS.size);
    for (const code of COLLATION_EXCEPTIONS) {
      const nfkd = String.fromCharCode(code).normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
      expect(nfkd, code.toString(16)).toMatch(/^[\x20-\x7e]$/);
      const [row] = await db.all({ sql: `SELECT CASE WHEN c LIKE ${escape('$1')} ESCAPE '!' THEN 1 ELSE 0 END AS m FROM chars WHERE code = $2`, params: [nfkd, code] });
      expect(Number(row!.m), code.toString(16)).toBe(0);
    }
  });

  it.runIf(dialect === 'mariadb')('on MariaDB, every other counted character matches its fold', async () => {
    const rows = await db.all({ sql: `SELECT code FROM chars WHERE f IS NOT NULL AND NOT (c LIKE ${escape('f')} ESCAPE '!')`, params: [] });
    expect(rows.map((r) => Number(r.code).toString(16))).toEqual([]);
  });
});
