/**
 * Bodies of the key-management calls `KeyClient` makes: `POST /keys/NAME/create`
 * (KeyCreateParameters) and `PATCH /keys/NAME/VERSION` (KeyUpdateParameters), with the fields and
 * wire names of the Key Vault REST reference (`kty`, `crv`, `key_ops`, `attributes.{enabled,nbf,exp}`).
 */
import { isAzureKeyType, type AzureKeyUpdate, type AzureKeyType, type CreateAzureKeyOptions } from './key-store.js';
import { badParameter, okpNotInApiVersion } from './keyvault-error.js';

export function isOkp(kty: AzureKeyType): boolean {
  return kty === 'OKP' || kty === 'OKP-HSM';
}

function parseJson(body: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8') || '{}');
  } catch {
    throw badParameter('The request body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw badParameter('The request body must be a JSON object.');
  return parsed as Record<string, unknown>;
}

/** Epoch seconds, `null` to clear, or undefined when absent. */
function epochSeconds(value: unknown, field: string): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw badParameter(`Property attributes.${field} must be a Unix time in seconds.`);
  return value;
}

function keyOpsOf(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((op) => typeof op === 'string')) throw badParameter('Property key_ops must be an array of strings.');
  return value as string[];
}

function attributesOf(body: Record<string, unknown>): { enabled?: boolean; notBefore?: number | null; expires?: number | null } {
  const attributes = body.attributes;
  if (attributes === undefined || attributes === null) return {};
  if (typeof attributes !== 'object') throw badParameter('Property attributes must be an object.');
  const { enabled, nbf, exp } = attributes as Record<string, unknown>;
  if (enabled !== undefined && typeof enabled !== 'boolean') throw badParameter('Property attributes.enabled must be a boolean.');
  return { ...(enabled !== undefined ? { enabled } : {}), notBefore: epochSeconds(nbf, 'nbf'), expires: epochSeconds(exp, 'exp') };
}

export function parseCreateRequest(name: string, body: Buffer, okpKnown: boolean, apiVersion: string): CreateAzureKeyOptions {
  const parsed = parseJson(body);
  const { kty, crv } = parsed;
  if (typeof kty !== 'string' || kty === '') throw badParameter('Property kty is required.');
  if (!isAzureKeyType(kty)) throw badParameter(`The emulator creates OKP, EC and RSA keys; kty ${kty} is not supported here.`);
  if (isOkp(kty) && !okpKnown) throw okpNotInApiVersion(apiVersion);
  const wanted = crv ?? (isOkp(kty) ? 'Ed25519' : kty.startsWith('EC') ? 'P-256' : undefined);
  if (isOkp(kty) && wanted !== 'Ed25519') throw badParameter(`Curve ${String(wanted)} is not valid for key type ${kty}.`);
  if (kty.startsWith('EC') && wanted !== 'P-256') throw badParameter(`The emulator creates EC keys on P-256 only, not ${String(wanted)}.`);
  const { enabled, notBefore, expires } = attributesOf(parsed);
  const keyOps = keyOpsOf(parsed.key_ops);
  return {
    name,
    kty,
    ...(keyOps ? { keyOps } : {}),
    ...(enabled !== undefined ? { enabled } : {}),
    ...(notBefore != null ? { notBefore } : {}),
    ...(expires != null ? { expires } : {}),
  };
}

export function parseUpdateRequest(body: Buffer): AzureKeyUpdate {
  const parsed = parseJson(body);
  const keyOps = keyOpsOf(parsed.key_ops);
  return { ...attributesOf(parsed), ...(keyOps ? { keyOps } : {}) };
}
