/** The abort, wrong-key-type, fault and redaction checks pass a good signer and catch broken ones. */
import { LocalSigner, SignerError } from '@a1/core';
import { describe, expect, it } from 'vitest';
import { checkAbort, checkFault, checkSignerRedaction, checkWrongKeyType, type SignerFault } from '../src/index.js';
import { BackendError } from './support/fake-backend.js';
import { expectCaught } from './support/expect-caught.js';
import { fixture, TOKEN } from './support/fixture.js';
import type { Defect } from './support/fake-kms-signer.js';

const { backend, signer } = fixture();
const secrets = [TOKEN];

const throttled: SignerFault = {
  arrange: () => backend.inject('throttle', { operation: 'Sign', times: 1 }),
  cleanup: () => backend.clear(),
  expect: { code: 'Throttled', retryable: true },
};
const badCredentials = (defects: Defect[] = []): SignerFault => ({
  phase: 'first-use',
  create: () => signer(defects, { token: 'tok-rejected-1' }),
  arrange: () => {},
  expect: { code: 'AccessDenied', retryable: false },
});

describe('checkAbort', () => {
  it('passes a signer that refuses an aborted signal', async () => {
    expect(await checkAbort({ create: () => signer(), secrets })).toBe('checked');
  });

  it('reports a sync Signer as having nothing to abort', async () => {
    expect(await checkAbort({ create: () => LocalSigner.generate() })).toBe('sync-signer');
  });

  it('catches a signer that signs despite an aborted signal', async () => {
    await expectCaught(checkAbort({ create: () => signer(['ignores-abort']) }), /expected a SignerError, but the call resolved/);
  });
});

describe('checkWrongKeyType', () => {
  const wrong = (defects: Defect[] = [], keyName = 'p256-root') => ({ create: () => signer(defects, { keyName: 'p256-root' }), keyName });

  it('passes a signer that refuses a P-256 key at first use, naming it', async () => {
    const errors = await checkWrongKeyType(wrong(), { secrets });
    expect(errors).toHaveLength(2);
    for (const error of errors) {
      expect(error).toBeInstanceOf(SignerError);
      expect(error.code).toBe('WrongKeyType');
    }
  });

  it('catches a signer that does not check the key type', async () => {
    await expectCaught(checkWrongKeyType(wrong(['skips-key-type-check'])), /first use verifyingKey\(\): expected code WrongKeyType, got InvalidResponse/);
  });

  it('catches untyped errors', async () => {
    await expectCaught(checkWrongKeyType(wrong(['untyped-errors'])), /expected a SignerError \(instanceof\), got Error/);
  });

  it('catches a refusal marked retryable', async () => {
    await expectCaught(checkWrongKeyType(wrong(['always-retryable'])), /expected retryable false, got true/);
  });

  it('catches a message that does not name the key', async () => {
    await expectCaught(checkWrongKeyType(wrong([], 'alias/some-other-key')), /expected the message to name "alias\/some-other-key"/);
  });

  it('catches errors naming another provider', async () => {
    await expectCaught(checkWrongKeyType(wrong(['wrong-provider'])), /expected provider "fake-kms", got "some-other-kms"/);
  });

  it('catches errors without the keyId the signer has', async () => {
    await expectCaught(checkWrongKeyType(wrong(['no-key-id-in-errors'])), /expected keyId "fake:\/\/keys\/p256-root", got none/);
  });

  it('catches a token in the message', async () => {
    await expectCaught(checkWrongKeyType(wrong(['leaks-token-in-errors']), { secrets }), /reveals a secret: secret #0 in message/);
  });
});

describe('checkFault', () => {
  const create = () => signer();

  it('passes a throttled sign that ends in a retryable Throttled error with the backend cause', async () => {
    const error = await checkFault('throttled', throttled, { create, secrets });
    expect(error.code).toBe('Throttled');
    expect(error.provider).toBe('fake-kms');
    expect(error.keyId).toBe('fake://keys/root');
    expect(error.cause).toBeInstanceOf(BackendError);
  });

  it('catches a signer that signs anyway when the backend fails (a cert is emitted)', async () => {
    await expectCaught(checkFault('throttled', throttled, { create: () => signer(['signs-despite-failure']) }), /a cert was emitted despite the fault/);
  });

  it('catches a dropped cause', async () => {
    await expectCaught(checkFault('throttled', throttled, { create: () => signer(['drops-cause']) }), /expected the backend's error as cause, got none/);
  });

  it('catches the wrong retryability', async () => {
    await expectCaught(checkFault('bad credentials', badCredentials(['always-retryable']), { create }), /expected retryable false, got true/);
  });

  it('catches the wrong provider and a missing keyId', async () => {
    await expectCaught(checkFault('throttled', throttled, { create: () => signer(['wrong-provider']) }), /expected provider "fake-kms"/);
    await expectCaught(checkFault('throttled', throttled, { create: () => signer(['no-key-id-in-errors']) }), /expected keyId "fake:\/\/keys\/root", got none/);
  });

  it('catches an unexpected code', async () => {
    const outage: SignerFault = { ...throttled, arrange: () => backend.inject('unavailable', { operation: 'Sign' }) };
    await expectCaught(checkFault('outage', outage, { create }), /expected code Throttled, got Unavailable/);
  });

  it('catches a secret in the error', async () => {
    await expectCaught(
      checkFault('bad credentials', badCredentials(['leaks-token-in-errors']), { create, secrets: ['tok-rejected-1'] }),
      /fault "bad credentials": the error reveals a secret: secret #0 in message/,
    );
  });

  it('catches a hang the signer never times out', async () => {
    const hang: SignerFault = {
      create: () => signer([], { timeoutMs: 60_000 }),
      arrange: () => backend.inject('hang', { operation: 'Sign' }),
      cleanup: () => backend.clear(),
      expect: { code: 'Timeout', retryable: true },
      timeoutMs: 300,
    };
    await expectCaught(checkFault('hang', hang, { create }), /did not settle within 300 ms/);
  });

  it('catches a factory that does I/O and throws', async () => {
    const eager: SignerFault = {
      ...throttled,
      create: () => {
        throw new Error('connect ECONNREFUSED');
      },
    };
    await expectCaught(checkFault('eager', eager, { create }), /create\(\) threw Error; a signer must be constructible without I\/O/);
  });

  it("says to use phase 'first-use' when the key fetch itself fails", async () => {
    await expectCaught(checkFault('bad credentials', { ...badCredentials(), phase: 'sign' }, { create }), /use phase: 'first-use'/);
  });

  it('always runs cleanup and closes the signer', async () => {
    let cleaned = 0;
    const made: Array<{ closed: boolean }> = [];
    await checkFault(
      'throttled',
      { ...throttled, cleanup: () => void cleaned++ },
      {
        create: () => {
          const s = signer(['signs-despite-failure']);
          made.push(s);
          return s;
        },
      },
    ).catch(() => undefined);
    expect(cleaned).toBe(1);
    expect(made.map((s) => s.closed)).toEqual([true]);
  });
});

describe('checkSignerRedaction', () => {
  it('passes a signer that keeps its token private', async () => {
    await checkSignerRedaction({ create: () => signer(), secrets });
  });

  it('catches a token kept in a public field', async () => {
    await expectCaught(checkSignerRedaction({ create: () => signer(['token-in-field']), secrets }), /signer object reveals a secret: secret #0 in console\.log/);
  });
});
