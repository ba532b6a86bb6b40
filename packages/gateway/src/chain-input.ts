/**
 * Reading the authorize routes' inputs in the reference's order (§4.5 steps 1–4): the chain's
 * shape is checked with the body (a 422), but its conversion errors (version, principal key and
 * scope) are only reported after the executor key and the intent, as upstream does.
 */
import { A1Error, fromHex, Intent, isValidPublicKey, parseSignedChain, type SignedChain } from '@a1/core';
import { jsonText } from './body-json.js';
import { TEXT, type SignedChainJson } from './contract.js';
import { ContractError } from './errors.js';
import { hexProblem } from './hex.js';
import { obj } from './json-out.js';

export interface ChainInput {
  chain: SignedChain;
  /** A conversion error (step 4) to raise after steps 1–3. */
  deferred?: A1Error;
}

const shapeError = (detail: string) => new ContractError(422, obj([['error', TEXT.jsonShape + detail]]));

/** Step 4's errors as core reports them: version, and the principal's hex and length. */
function isConversionError(error: A1Error): boolean {
  if (error.code === 'UnsupportedVersion') return true;
  const reason = error.reason ?? '';
  return error.code === 'WireFormatError' && (/^principal_(pk|scope)( must be 32 bytes|: (Invalid character|Odd number))/.test(reason) || reason.startsWith('invalid principal_pk'));
}

export function readChain(json: SignedChainJson, lossless: boolean): ChainInput {
  // Upstream reads certs only in the reference form (byte arrays); core would also take hex.
  json.certs.forEach((cert, i) => {
    if (typeof (cert as { delegator_pk?: unknown }).delegator_pk === 'string') {
      throw shapeError(`chain.certs[${i}].delegator_pk: invalid type: string, expected an array of 32 bytes`);
    }
  });
  let chain: SignedChain;
  try {
    chain = parseSignedChain(jsonText(json, lossless), { maxCerts: 1024 });
  } catch (error) {
    if (!(error instanceof A1Error)) throw error;
    if (!isConversionError(error)) throw shapeError(`chain: ${error.reason ?? error.message}`);
    return { chain: { principalPk: new Uint8Array(32), principalScope: new Uint8Array(32), certs: [] }, deferred: error };
  }
  if (!isValidPublicKey(chain.principalPk)) {
    return { chain, deferred: A1Error.wire('invalid principal_pk: signature error: Cannot decompress Edwards point') };
  }
  return { chain };
}

/** Step 1: the presenting agent's key. */
export function executorKey(hex: string): Uint8Array {
  if (hexProblem(hex)) throw A1Error.wire('invalid executor_pk_hex');
  const pk = fromHex(hex, 'executor_pk_hex');
  if (pk.length !== 32) throw A1Error.wire('executor_pk must be 32 bytes');
  if (!isValidPublicKey(pk)) throw A1Error.wire('invalid executor Ed25519 key');
  return pk;
}

/** Step 2: the intent hash (limits of §2.6 as WireFormatError). */
export function intentOf(name: string, params: Record<string, string> | undefined): Uint8Array {
  return Intent.from(name, params ?? {}).hash();
}
