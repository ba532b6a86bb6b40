/** Finding the slot whose token the options name. */
import pkcs11js from 'pkcs11js';
import type { TokenSelector } from './options.js';
import { pkcs11Failure, signerError } from './pkcs11-failure.js';
import { ulongOf } from './handles.js';

interface PresentToken {
  slot: Buffer;
  slotId: number | undefined;
  label: string;
  serial: string;
}

function presentTokens(api: pkcs11js.PKCS11, keyId: string | undefined): PresentToken[] {
  let slots: Buffer[];
  try {
    slots = api.C_GetSlotList(true);
  } catch (e) {
    throw pkcs11Failure(e, keyId, 'C_GetSlotList');
  }
  const tokens: PresentToken[] = [];
  for (const slot of slots) {
    let info: pkcs11js.TokenInfo;
    try {
      info = api.C_GetTokenInfo(slot);
    } catch {
      continue; // token pulled between the two calls
    }
    // SoftHSM2 always offers one blank, uninitialized token: it holds no keys.
    if ((info.flags & pkcs11js.CKF_TOKEN_INITIALIZED) === 0) continue;
    tokens.push({ slot, slotId: ulongOf(slot), label: info.label.trimEnd(), serial: info.serialNumber.trimEnd() });
  }
  return tokens;
}

/** How the selector reads in messages, e.g. `token "a1"`. */
export function describeTokenSelector(selector: TokenSelector): string {
  if (selector.tokenLabel !== undefined) return `token "${selector.tokenLabel}"`;
  if (selector.serial !== undefined) return `token with serial ${selector.serial}`;
  if (selector.slot !== undefined) return `slot ${selector.slot}`;
  return 'the only token';
}

export function findTokenSlot(api: pkcs11js.PKCS11, selector: TokenSelector, keyId: string | undefined): Buffer {
  const tokens = presentTokens(api, keyId);
  const matches = tokens.filter(
    (t) =>
      (selector.tokenLabel === undefined || t.label === selector.tokenLabel) &&
      (selector.serial === undefined || t.serial === selector.serial) &&
      (selector.slot === undefined || t.slotId === selector.slot),
  );
  const wanted = describeTokenSelector(selector);
  if (matches.length === 1) return matches[0]!.slot;
  const present = tokens.length === 0 ? 'none' : tokens.map((t) => `"${t.label}" (slot ${t.slotId})`).join(', ');
  if (matches.length === 0) {
    return fail(keyId, 'KeyNotFound', `${wanted} not found; initialized tokens present: ${present}`);
  }
  return fail(keyId, 'Misconfigured', `${wanted} is ambiguous (${matches.length} tokens match: ${present}); select by serial or slot`);
}

function fail(keyId: string | undefined, code: 'KeyNotFound' | 'Misconfigured', message: string): never {
  throw signerError(keyId, code, message, undefined, false);
}
