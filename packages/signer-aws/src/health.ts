/**
 * What `health()` answers: never thrown for a backend fault, always this shape. (The same shape
 * every A1 signer answers; it belongs in @a1/core once core defines it.)
 */
import type { DescribeKeyCommandOutput } from '@aws-sdk/client-kms';
import { ED25519_KEY_SPEC, PURE_ED25519 } from './pinned-key.js';

export interface SignerHealth {
  ok: boolean;
  /** Time the probe took, in milliseconds. */
  latencyMs: number;
  keyId: string;
  /** What was checked, or the error code and what is wrong. */
  detail: string;
}

/** Why a DescribeKey answer is not a key A1 can sign with now, or undefined when it is. */
export function keyProblem(answer: DescribeKeyCommandOutput, pinnedArn: string | undefined): string | undefined {
  const meta = answer.KeyMetadata;
  if (!meta?.Arn) return 'InvalidResponse: DescribeKey answered no key metadata';
  if (pinnedArn !== undefined && meta.Arn !== pinnedArn) {
    return `SignatureMismatch: the key name now resolves to ${meta.Arn}, not the pinned ${pinnedArn} (alias re-pointed)`;
  }
  if (meta.KeySpec !== ED25519_KEY_SPEC || meta.KeyUsage !== 'SIGN_VERIFY') {
    return `WrongKeyType: ${meta.Arn} is a ${meta.KeySpec ?? 'unknown-spec'} key with usage ${meta.KeyUsage ?? 'unknown'}, not ${ED25519_KEY_SPEC}/SIGN_VERIFY`;
  }
  if (!meta.SigningAlgorithms?.includes(PURE_ED25519)) return `WrongKeyType: ${meta.Arn} does not offer ${PURE_ED25519}`;
  if (meta.KeyState !== 'Enabled') {
    const transient = meta.KeyState === 'Creating' || meta.KeyState === 'Updating';
    return `${transient ? 'Unavailable' : 'BackendError'}: ${meta.Arn} is ${meta.KeyState ?? 'in an unknown state'}${transient ? ' (transient)' : ''}, not Enabled`;
  }
  return undefined;
}
