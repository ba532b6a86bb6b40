/**
 * A few logged-in sessions shared by concurrent signs. A PKCS#11 session runs one operation at a
 * time, so each sign leases one; up to `size` are opened on demand and kept, and further signs
 * wait in line instead of opening a session per call. A `generation` marks which sessions
 * belong to the current login: after a recovery, older ones are closed when they come back.
 */

export interface SessionLease {
  readonly session: Buffer;
  readonly generation: number;
}

export interface SessionPoolStats {
  size: number;
  /** Sessions open now. */
  open: number;
  idle: number;
  busy: number;
  waiting: number;
  /** `C_OpenSession` calls made by this pool since it was created. */
  opened: number;
  /** Times all sessions were discarded after the token lost them. */
  resets: number;
}

export interface SessionPoolBackend {
  open(): Buffer;
  close(session: Buffer): void;
}

interface Waiter {
  resolve(lease: SessionLease): void;
  reject(error: unknown): void;
}

export class SessionPool {
  readonly size: number;
  #backend: SessionPoolBackend;
  #idle: SessionLease[] = [];
  #busy = new Set<SessionLease>();
  #waiters: Waiter[] = [];
  #drained: Array<() => void> = [];
  #generation = 0;
  /** Set by `close`: from then on every acquire fails with this reason. */
  #closedBecause: { reason: unknown } | undefined;
  #opened = 0;
  #resets = 0;

  constructor(size: number, backend: SessionPoolBackend) {
    this.size = size;
    this.#backend = backend;
  }

  get generation(): number {
    return this.#generation;
  }

  stats(): SessionPoolStats {
    return {
      size: this.size,
      open: this.#idle.length + this.#busy.size,
      idle: this.#idle.length,
      busy: this.#busy.size,
      waiting: this.#waiters.length,
      opened: this.#opened,
      resets: this.#resets,
    };
  }

  /** A session for one operation; give it back with `release` or `discard`. */
  acquire(signal?: AbortSignal): Promise<SessionLease> {
    if (this.#closedBecause) return Promise.reject(this.#closedBecause.reason);
    const idle = this.#idle.pop();
    if (idle) {
      this.#busy.add(idle);
      return Promise.resolve(idle);
    }
    if (this.#busy.size < this.size) {
      try {
        return Promise.resolve(this.#openLease());
      } catch (e) {
        return Promise.reject(e);
      }
    }
    return new Promise<SessionLease>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      this.#waiters.push(waiter);
      signal?.addEventListener(
        'abort',
        () => {
          const at = this.#waiters.indexOf(waiter);
          if (at !== -1) {
            this.#waiters.splice(at, 1);
            reject(signal.reason);
          }
        },
        { once: true },
      );
    });
  }

  /** Returns a healthy session for the next sign. */
  release(lease: SessionLease): void {
    if (!this.#busy.delete(lease)) return;
    if (lease.generation !== this.#generation) {
      this.#closeQuietly(lease.session);
      this.#serveWaiter();
    } else {
      const waiter = this.#waiters.shift();
      if (waiter) {
        this.#busy.add(lease);
        waiter.resolve(lease);
      } else this.#idle.push(lease);
    }
    this.#notifyIfDrained();
  }

  /** Closes a session that failed or may be mid-operation, and lets a waiter open a fresh one. */
  discard(lease: SessionLease): void {
    if (!this.#busy.delete(lease)) return;
    this.#closeQuietly(lease.session);
    this.#serveWaiter();
    this.#notifyIfDrained();
  }

  /** The token dropped our sessions (or login): forget every session of this generation. */
  reset(): void {
    this.#generation += 1;
    this.#resets += 1;
    for (const lease of this.#idle.splice(0)) this.#closeQuietly(lease.session);
    // Busy sessions are closed as they are released (their generation is now old).
  }

  /** Some idle session of the current generation, still owned by the pool (for a logout). */
  idleSession(): Buffer | undefined {
    return this.#idle[this.#idle.length - 1]?.session;
  }

  /** Resolves once no session is leased. */
  drain(): Promise<void> {
    if (this.#busy.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drained.push(resolve));
  }

  /** Closes every idle session and fails everyone waiting. Call after `drain()`. */
  close(reason: unknown): void {
    this.#closedBecause = { reason };
    for (const waiter of this.#waiters.splice(0)) waiter.reject(reason);
    for (const lease of this.#idle.splice(0)) this.#closeQuietly(lease.session);
    this.#generation += 1;
  }

  #openLease(): SessionLease {
    this.#opened += 1;
    const lease: SessionLease = { session: this.#backend.open(), generation: this.#generation };
    this.#busy.add(lease);
    return lease;
  }

  #serveWaiter(): void {
    const waiter = this.#waiters.shift();
    if (!waiter) return;
    try {
      waiter.resolve(this.#openLease());
    } catch (e) {
      waiter.reject(e);
    }
  }

  #closeQuietly(session: Buffer): void {
    try {
      this.#backend.close(session);
    } catch {
      // already closed underneath us, which is why it is being dropped
    }
  }

  #notifyIfDrained(): void {
    if (this.#busy.size > 0) return;
    for (const resolve of this.#drained.splice(0)) resolve();
  }
}
