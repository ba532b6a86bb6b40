// The pool's bookkeeping on its own, with a backend that hands out numbered buffers.
// (The real C_OpenSession path is covered against SoftHSM2 in signer.softhsm.test.ts.)
import { describe, expect, it } from 'vitest';
import { SessionPool } from '../src/session-pool.js';

function numberedBackend() {
  let next = 0;
  const closed: number[] = [];
  return {
    closed,
    backend: {
      open: () => Buffer.from([++next]),
      close: (session: Buffer) => void closed.push(session[0]!),
    },
  };
}

describe('SessionPool', () => {
  it('opens at most `size` sessions and queues the rest in order', async () => {
    const { backend } = numberedBackend();
    const pool = new SessionPool(2, backend);
    const a = await pool.acquire();
    const b = await pool.acquire();
    const order: number[] = [];
    const c = pool.acquire().then((l) => (order.push(1), l));
    const d = pool.acquire().then((l) => (order.push(2), l));
    expect(pool.stats()).toMatchObject({ opened: 2, busy: 2, waiting: 2 });
    pool.release(a);
    pool.release(b);
    expect((await c).session).toEqual(a.session);
    expect((await d).session).toEqual(b.session);
    expect(order).toEqual([1, 2]);
    expect(pool.stats().opened).toBe(2);
  });

  it('replaces a discarded session for the next waiter', async () => {
    const { backend, closed } = numberedBackend();
    const pool = new SessionPool(1, backend);
    const a = await pool.acquire();
    const next = pool.acquire();
    pool.discard(a);
    expect(closed).toEqual([1]);
    expect([...(await next).session]).toEqual([2]);
  });

  it('closes sessions of an old generation when they come back after a reset', async () => {
    const { backend, closed } = numberedBackend();
    const pool = new SessionPool(2, backend);
    const a = await pool.acquire();
    const b = await pool.acquire();
    pool.release(b);
    pool.reset();
    expect(closed).toEqual([2]); // the idle one at once
    pool.release(a);
    expect(closed).toEqual([2, 1]); // the busy one on return
    const fresh = await pool.acquire();
    expect(fresh.generation).toBe(1);
    expect(pool.stats()).toMatchObject({ resets: 1, opened: 3 });
  });

  it('lets an aborted waiter leave the queue', async () => {
    const { backend } = numberedBackend();
    const pool = new SessionPool(1, backend);
    await pool.acquire();
    const controller = new AbortController();
    const waiting = pool.acquire(controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    expect(pool.stats().waiting).toBe(0);
  });

  it('drains: resolves when the last lease is returned', async () => {
    const { backend } = numberedBackend();
    const pool = new SessionPool(1, backend);
    const a = await pool.acquire();
    let drained = false;
    const done = pool.drain().then(() => (drained = true));
    await Promise.resolve();
    expect(drained).toBe(false);
    pool.release(a);
    await done;
    expect(drained).toBe(true);
  });

  it('refuses leases after close, failing waiters with the close reason', async () => {
    const { backend, closed } = numberedBackend();
    const pool = new SessionPool(1, backend);
    const a = await pool.acquire();
    const waiting = pool.acquire();
    pool.release(a); // goes to the waiter
    const b = await waiting;
    const late = pool.acquire();
    pool.close(new Error('signer is closed'));
    await expect(late).rejects.toThrow('signer is closed');
    await expect(pool.acquire()).rejects.toThrow('signer is closed');
    pool.release(b); // old generation now: closed on return
    expect(closed).toEqual([1]);
  });

  it('rejects an acquire when the backend cannot open a session', async () => {
    const pool = new SessionPool(1, { open: () => { throw new Error('CKR_SESSION_COUNT'); }, close: () => undefined });
    await expect(pool.acquire()).rejects.toThrow('CKR_SESSION_COUNT');
    expect(pool.stats()).toMatchObject({ open: 0, opened: 1 });
  });
});
