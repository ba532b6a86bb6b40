/**
 * One call's stop signal: the caller's AbortSignal or our timeout, whichever fires first, and
 * which of the two it was (an abort is final, a timeout may be retried).
 */

export interface Deadline {
  signal: AbortSignal;
  /** Why the signal fired, or undefined while it has not. */
  readonly stopped: 'timeout' | 'aborted' | undefined;
  /** Rejects as soon as the signal fires, so a call stuck in SDK backoff cannot outlive it. */
  readonly fired: Promise<never>;
  dispose(): void;
}

/** `timeoutMs` undefined: only the caller's signal can stop the call. */
export function startDeadline(timeoutMs: number | undefined, callerSignal?: AbortSignal): Deadline {
  const controller = new AbortController();
  let stopped: 'timeout' | 'aborted' | undefined;
  let rejectFired: (reason: unknown) => void = () => {};
  const fired = new Promise<never>((_, reject) => {
    rejectFired = reject;
  });
  // Nobody may be listening when it fires after the call settled.
  fired.catch(() => {});
  const stop = (why: 'timeout' | 'aborted', reason: unknown) => {
    if (stopped !== undefined) return;
    stopped = why;
    controller.abort(reason);
    rejectFired(reason);
  };
  const timer =
    timeoutMs === undefined ? undefined : setTimeout(() => stop('timeout', new Error(`deadline of ${timeoutMs} ms passed`)), timeoutMs);
  const onAbort = () => stop('aborted', new Error('aborted by the caller'));
  if (callerSignal?.aborted) onAbort();
  else callerSignal?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    get stopped() {
      return stopped;
    },
    fired,
    dispose() {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onAbort);
    },
  };
}
