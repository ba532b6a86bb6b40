/**
 * The optional readiness probe: a signer with `health()` must answer
 * `{ ok, latencyMs, keyId, detail }` and never throw for a backend fault. On a working key it
 * answers `ok: true`; under every first-use fault (the key read fails: missing key, rejected
 * credential, outage…) and on a non-Ed25519 key it answers `ok: false` with a detail, and no
 * secret appears in what it answers.
 */
import { describeShape } from '../bytes.js';
import { ConformanceError } from '../conformance-error.js';
import type { AnySigner, SignerConformanceOptions, SignerFactory, SignerFault } from '../options.js';
import { assertNoSecrets, type Secret } from '../secret-leaks.js';
import { withSigner } from '../signer-session.js';

/** What `health()` answers. */
export interface SignerHealth {
  ok: boolean;
  latencyMs: number;
  keyId: string;
  detail: string;
}

type WithHealth = AnySigner & { health(): Promise<unknown> };

export function hasHealth(signer: unknown): signer is WithHealth {
  return typeof (signer as { health?: unknown })?.health === 'function';
}

async function probe(check: string, signer: WithHealth, secrets: readonly Secret[]): Promise<SignerHealth> {
  let answer: unknown;
  try {
    answer = await signer.health();
  } catch (error) {
    throw new ConformanceError(check, `health() threw ${describeShape(error)}; it must answer { ok: false, detail } for backend faults`, { cause: error });
  }
  const h = answer as Partial<SignerHealth> | null;
  if (
    !h ||
    typeof h.ok !== 'boolean' ||
    typeof h.latencyMs !== 'number' ||
    !Number.isFinite(h.latencyMs) ||
    h.latencyMs < 0 ||
    typeof h.keyId !== 'string' ||
    h.keyId === '' ||
    typeof h.detail !== 'string' ||
    h.detail === ''
  ) {
    throw new ConformanceError(check, `health() answered ${describeShape(answer)}; expected { ok: boolean, latencyMs: number >= 0, keyId: string, detail: string }`);
  }
  assertNoSecrets(check, h, secrets, 'health()');
  return h as SignerHealth;
}

/** `ok: true` on the working key. Returns 'no-health' when the signer has no `health()`. */
export async function checkHealthy(options: { create: SignerFactory; secrets?: readonly Secret[] }): Promise<'checked' | 'no-health'> {
  const check = 'health() on a working key';
  return withSigner(check, options.create, async ({ raw }) => {
    if (!hasHealth(raw)) return 'no-health';
    const h = await probe(check, raw, options.secrets ?? []);
    if (!h.ok) throw new ConformanceError(check, `health() answered ok: false on a working key (${h.detail})`);
    return 'checked';
  });
}

/** `ok: false`, never a throw, when the key cannot be used. */
export async function checkUnhealthy(
  name: string,
  fault: Pick<SignerFault, 'arrange' | 'cleanup' | 'create'>,
  options: Pick<SignerConformanceOptions, 'create' | 'secrets'>,
): Promise<void> {
  const check = `health() under "${name}"`;
  await withSigner(check, fault.create ?? options.create, async ({ raw }) => {
    if (!hasHealth(raw)) return;
    let h: SignerHealth;
    try {
      await fault.arrange({ signer: raw });
      h = await probe(check, raw, options.secrets ?? []);
    } finally {
      await fault.cleanup?.({ signer: raw });
    }
    if (h.ok) throw new ConformanceError(check, `health() answered ok: true although the key cannot be used (${h.detail})`);
  });
}
