import { CertBuilder, intentHash, LocalSigner, providerOf, type AsyncSigner, type SignerError, type SignerErrorCode } from '@a1/core';
import { describeShape } from '../bytes.js';
import { ConformanceError } from '../conformance-error.js';
import { assertSignerError } from '../expect-signer-error.js';
import type { FaultContext, SignerFactory, SignerFault } from '../options.js';
import type { Secret } from '../secret-leaks.js';
import { withSigner } from '../signer-session.js';

export const DEFAULT_FAULT_TIMEOUT_MS = 15_000;

/** Codes that can only come from a backend answer, so the backend's error must be the cause. */
const BACKEND_CODES: ReadonlySet<SignerErrorCode> = new Set(['Throttled', 'Unavailable', 'AccessDenied', 'KeyNotFound', 'BackendError']);

function causeRequired(fault: SignerFault): boolean {
  if (fault.expect.cause !== undefined) return fault.expect.cause;
  const { code } = fault.expect;
  if (code === undefined) return false;
  const codes = typeof code === 'string' ? [code] : code;
  return codes.length > 0 && codes.every((c) => BACKEND_CODES.has(c));
}

type Outcome = { kind: 'emitted'; value: unknown } | { kind: 'rejected'; error: unknown } | { kind: 'hung' };

function settleWithin(promise: Promise<unknown>, ms: number): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'hung' }), ms);
  });
  const settled = promise.then(
    (value): Outcome => ({ kind: 'emitted', value }),
    (error: unknown): Outcome => ({ kind: 'rejected', error }),
  );
  return Promise.race([settled, hung]).finally(() => clearTimeout(timer));
}

/**
 * Arranges one backend fault, builds a cert with `CertBuilder.buildAsync`, and asserts that
 * nothing was emitted and the failure is a `SignerError` with the signer's provider and keyId,
 * the expected code and retryability, the backend's cause and no secret. Returns the error.
 */
export async function checkFault(
  name: string,
  fault: SignerFault,
  options: { create: SignerFactory; secrets?: readonly Secret[] },
): Promise<SignerError> {
  const check = `fault "${name}"`;
  const timeoutMs = fault.timeoutMs ?? DEFAULT_FAULT_TIMEOUT_MS;

  return withSigner(check, fault.create ?? options.create, async ({ raw, signer }) => {
    const context: FaultContext = { signer: raw };
    if ((fault.phase ?? 'sign') === 'sign') {
      try {
        await signer.verifyingKey();
      } catch (error) {
        throw new ConformanceError(
          check,
          `fetching the public key before arranging the fault failed (${describeShape(error)}); use phase: 'first-use' for faults that hit the key fetch`,
          { cause: error },
        );
      }
    }

    let outcome: Outcome;
    try {
      await fault.arrange(context);
      const now = BigInt(Math.floor(Date.now() / 1000));
      const builder = new CertBuilder({
        delegatePk: LocalSigner.generate().verifyingKey(),
        scopeRoot: intentHash('conformance.fault'),
        issuedAt: now,
        expirationUnix: now + 3600n,
      });
      const signal = fault.signal?.();
      outcome = await settleWithin(builder.buildAsync(raw, signal ? { signal } : undefined), timeoutMs);
    } finally {
      await fault.cleanup?.(context);
    }

    if (outcome.kind === 'hung') {
      throw new ConformanceError(check, `the build did not settle within ${timeoutMs} ms; a hang must end in a Timeout SignerError`);
    }
    if (outcome.kind === 'emitted') {
      throw new ConformanceError(check, `a cert was emitted despite the fault (got ${describeShape(outcome.value)})`);
    }
    return assertSignerError(
      outcome.error,
      {
        code: fault.expect.code,
        retryable: fault.expect.retryable,
        provider: providerOf(raw),
        keyId: (raw as AsyncSigner).keyId,
        cause: causeRequired(fault) ? true : undefined,
        secrets: options.secrets ?? [],
      },
      check,
    );
  });
}
