import { afterAll, beforeAll, describe, it } from 'vitest';
import { checkAbort } from './checks/abort.js';
import { checkCertAuthorizes, checkPassportChain } from './checks/certs.js';
import { checkConcurrentSigns, DEFAULT_CONCURRENCY } from './checks/concurrency.js';
import { checkFault, DEFAULT_FAULT_TIMEOUT_MS } from './checks/fault.js';
import { checkPublicKey, DEFAULT_SIGN_COUNT } from './checks/public-key.js';
import { checkSignatures } from './checks/signatures.js';
import { checkSecretsStayHidden } from './checks/secrets.js';
import { checkWrongKeyType } from './checks/wrong-key-type.js';
import { checkHealthy, checkUnhealthy } from './checks/health.js';
import { ConformanceError } from './conformance-error.js';
import type { SignerConformanceOptions, SignerFault } from './options.js';
import { captureOutput, type OutputCapture } from './output-capture.js';
import { validateSecrets } from './secret-leaks.js';

const DEFAULT_TIMEOUT_MS = 60_000;

function validate(options: SignerConformanceOptions): void {
  if (typeof options?.create !== 'function') throw new ConformanceError('options', 'create() is required');
  for (const [key, value] of [
    ['concurrency', options.concurrency],
    ['signCount', options.signCount],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new ConformanceError('options', `${key} must be a positive integer`);
    }
  }
  validateSecrets(options.secrets ?? []);
}

function describeExpectation(fault: SignerFault): string {
  const { code, retryable } = fault.expect;
  const codes = code === undefined ? 'any code' : typeof code === 'string' ? code : code.join('|');
  return `SignerError ${codes}, retryable=${retryable}`;
}

/**
 * Registers the A1 signer conformance suite as a vitest `describe` block. Optional checks
 * that are not configured are registered as skipped tests naming the option that enables them.
 */
export function describeSignerConformance(name: string, options: SignerConformanceOptions): void {
  validate(options);
  const secrets = options.secrets ?? [];
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const counted = options.publicKeyFetches !== undefined;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const signCount = options.signCount ?? DEFAULT_SIGN_COUNT;
  // Every error the suite provoked, re-checked for secrets at the end.
  const provoked: unknown[] = [];

  describe(`${name}: A1 signer conformance`, () => {
    let output: OutputCapture | undefined;
    beforeAll(() => {
      output = captureOutput();
    });
    afterAll(() => {
      output?.restore();
    });

    it(
      counted
        ? `public key is 32 bytes, stable, and fetched once across ${signCount} signs`
        : `public key is 32 bytes and stable across ${signCount} signs (fetch count NOT checked: no publicKeyFetches option)`,
      () => checkPublicKey(options),
      timeout,
    );

    it('every signature over a random 32-byte message verifies (Ed25519)', () => checkSignatures(options), timeout);

    it(
      `${concurrency} concurrent signs on a fresh signer all verify` + (counted ? ' and fetch the key once' : ''),
      () => checkConcurrentSigns(options),
      timeout,
    );

    it('a cert built with CertBuilder.buildAsync verifies in authorize (1 hop)', () => checkCertAuthorizes(options), timeout);

    it('a passport, its sub-cert and one more hop verify in passport.guard (2 hops)', () => checkPassportChain(options), timeout);

    it(
      'an aborted signal ends signMessage in SignerError Aborted',
      async (ctx) => {
        const outcome = await checkAbort({ create: options.create, secrets });
        if (outcome === 'sync-signer') ctx.skip('sync Signer: nothing to abort');
      },
      timeout,
    );

    const { wrongKeyType } = options;
    if (wrongKeyType) {
      it(
        `a non-Ed25519 key is refused at first use with WrongKeyType naming "${wrongKeyType.keyName}"`,
        async () => {
          provoked.push(...(await checkWrongKeyType(wrongKeyType, { secrets })));
        },
        timeout,
      );
    } else {
      it.skip('a non-Ed25519 key is refused at first use (NOT checked: no wrongKeyType option)', () => {});
    }

    const faults = Object.entries(options.faults ?? {});
    for (const [faultName, fault] of faults) {
      it(
        `fault "${faultName}" ends in ${describeExpectation(fault)} and no cert`,
        async () => {
          provoked.push(await checkFault(faultName, fault, { create: options.create, secrets }));
        },
        (fault.timeoutMs ?? DEFAULT_FAULT_TIMEOUT_MS) + timeout,
      );
    }
    if (faults.length === 0) {
      it.skip('injected faults end in SignerError with no cert (NOT checked: no faults option)', () => {});
    }

    // Optional: signers with a readiness probe. Skipped (and says so) for signers without one.
    it(
      'health() answers ok on a working key, and ok: false (never a throw) on a non-Ed25519 key and under every first-use fault',
      async (ctx) => {
        if ((await checkHealthy({ create: options.create, secrets })) === 'no-health') {
          ctx.skip('the signer has no health()');
          return;
        }
        if (wrongKeyType) await checkUnhealthy('a non-Ed25519 key', { create: wrongKeyType.create, arrange: () => undefined }, options);
        for (const [faultName, fault] of faults) {
          if (fault.phase === 'first-use') await checkUnhealthy(faultName, fault, options);
        }
      },
      timeout * 2,
    );

    if (secrets.length > 0) {
      it(
        `no secret (${secrets.length} given) appears in errors, console/stdout/stderr output or the logged signer`,
        () => checkSecretsStayHidden({ create: options.create, secrets, errors: provoked, output: output?.lines ?? [] }),
        timeout,
      );
    } else {
      it.skip('no secret leaks into errors or logs (NOT checked: no secrets option)', () => {});
    }
  });
}
