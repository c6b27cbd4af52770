/**
 * scrypt runs on libuv's thread pool, four threads shared with the SQLite driver, file reads
 * and DNS. Forty logins at once would take all four for seconds and every query would wait
 * behind them, so a process derives at most two keys at a time; the others wait here, in the
 * order they came, without holding a thread.
 */

/** A counting semaphore whose waiters are served first come, first served. */
export class Slots {
  private busy = 0;
  private most = 0;
  private started = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {}

  /** How many derivations run now. */
  get inUse(): number {
    return this.busy;
  }

  /** The most that ever ran at once in this process (never above `size`). */
  get peak(): number {
    return this.most;
  }

  /** How many derivations were started in this process. */
  get ran(): number {
    return this.started;
  }

  /** How many wait for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Runs `fn` once a slot is free, and frees it when `fn` settles. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.busy >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.busy++;
    this.most = Math.max(this.most, this.busy);
    this.started++;
    try {
      return await fn();
    } finally {
      // The slot passes straight to the next waiter, so `busy` stays counted for it.
      const next = this.waiting.shift();
      if (next) next();
      else this.busy--;
    }
  }
}

/** The slots every password hash and check of this process goes through. */
export const hashSlots = new Slots(2);
