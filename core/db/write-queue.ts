/**
 * SQLite has one writer. Left to itself, every waiting writer holds one of libuv's four threads
 * in its busy wait, so with a few of them the writer that holds the lock cannot run its next
 * statement and all stall until their timeouts. The process therefore lets one write at a time
 * reach the database, the others wait here, in the order they came, without holding a thread.
 */
import { httpError } from '../errors.js';
import { writeWanted } from './requester.js';

/** How long a write waits for its turn before it is answered 503 (nothing written). */
const TURN_TIMEOUT_MS = 30_000;

export class WriteQueue {
  private tail: Promise<void> = Promise.resolve();

  /**
   * Runs `fn` once the writes before it are done. `fn` gets `release`, to hand the turn on
   * before it returns (a transaction's after-commit work must not hold it); it is released at
   * the latest when `fn` settles.
   */
  async run<T>(fn: (release: () => void) => Promise<T>): Promise<T> {
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const before = this.tail;
    this.tail = before.then(() => done);
    let timer: NodeJS.Timeout | undefined;
    const turn = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), TURN_TIMEOUT_MS)));
    const waited = await Promise.race([before.then(() => 'ready' as const), turn]);
    clearTimeout(timer);
    if (waited === 'late') {
      // Keep the order: our turn, when it comes, is passed on at once.
      void before.then(release);
      throw httpError(503, 'busy', 'The database is busy with other writes; nothing was written. Send it again');
    }
    if (!writeWanted()) {
      release();
      throw httpError(400, 'client_closed', 'The connection closed before this write had its turn; nothing was written');
    }
    try {
      return await fn(release);
    } finally {
      release();
    }
  }
}
