/**
 * The database gave up on a statement because of other transactions' locks: MariaDB's deadlock
 * (1213, the transaction is rolled back) or lock wait timeout (1205), SQLite's busy. Nothing of
 * the transaction was kept, so a unit of work that only writes the database may run again.
 */
export function isLockConflict(error: unknown): boolean {
  const e = error as { parent?: { code?: string; errno?: number }; original?: { code?: string; errno?: number }; code?: string; errno?: number } | undefined;
  const cause = e?.parent ?? e?.original ?? e;
  const code = cause?.code;
  return code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT' || code === 'SQLITE_BUSY' || cause?.errno === 1213 || cause?.errno === 1205;
}
