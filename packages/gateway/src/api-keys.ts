/**
 * Named API keys (our addition; upstream has only the admin secret). The keys file holds no
 * secret: each key is stored as an scrypt hash (node:crypto) and compared in constant time.
 * A presented key is `a1gw_<id>_<secret>`: the id finds the record, the secret is checked.
 * Verified keys are remembered by a SHA-256 of the presented value, so scrypt runs once per key
 * and process, not per request.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { ROLES, type Role } from './contract.js';

export interface ApiKeyRecord {
  id: string;
  name: string;
  roles: Role[];
  /** `scrypt:<N>:<r>:<p>:<salt base64url>:<hash base64url>` */
  hash: string;
  /** Requests per second for this key (burst the same); unlimited when absent. */
  rateLimitRps?: number;
}

export class ApiKeyFileError extends Error {
  override readonly name = 'ApiKeyFileError';
}

const TOKEN = /^a1gw_([0-9a-f]{12})_([A-Za-z0-9_-]{32,128})$/;
const HASH = /^scrypt:(\d+):(\d+):(\d+):([A-Za-z0-9_-]+):([A-Za-z0-9_-]+)$/;
const SCRYPT = { N: 16384, r: 8, p: 1 };
const MAX_REMEMBERED = 10_000;

function derive(secret: string, salt: Buffer, N: number, r: number, p: number, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, length, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** A new key: the value to hand to the client (shown once) and the record for the keys file. */
export async function createApiKey(name: string, roles: Role[], rateLimitRps?: number): Promise<{ token: string; record: ApiKeyRecord }> {
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const salt = randomBytes(16);
  const hash = await derive(secret, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p, 32);
  const record: ApiKeyRecord = {
    id,
    name,
    roles,
    hash: `scrypt:${SCRYPT.N}:${SCRYPT.r}:${SCRYPT.p}:${salt.toString('base64url')}:${hash.toString('base64url')}`,
    ...(rateLimitRps !== undefined ? { rateLimitRps } : {}),
  };
  return { token: `a1gw_${id}_${secret}`, record };
}

/** Validates the keys file's JSON (`{"keys": [ApiKeyRecord, …]}`); errors name the entry, never a hash. */
export function parseApiKeysFile(json: unknown): ApiKeyRecord[] {
  const list = (json as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list)) throw new ApiKeyFileError('API keys file must be {"keys": [...]}');
  const seen = new Set<string>();
  return list.map((entry: unknown, i): ApiKeyRecord => {
    const e = (entry ?? {}) as Record<string, unknown>;
    const where = `keys[${i}]`;
    if (typeof e.id !== 'string' || !/^[0-9a-f]{12}$/.test(e.id)) throw new ApiKeyFileError(`${where}.id must be 12 lowercase hex characters`);
    if (seen.has(e.id)) throw new ApiKeyFileError(`${where}.id ${e.id} appears twice`);
    seen.add(e.id);
    if (typeof e.name !== 'string' || e.name.length === 0) throw new ApiKeyFileError(`${where}.name must be a non-empty string`);
    const roles = e.roles;
    if (!Array.isArray(roles) || roles.length === 0 || !roles.every((r) => ROLES.includes(r as Role))) {
      throw new ApiKeyFileError(`${where}.roles must be a non-empty list of ${ROLES.join(', ')}`);
    }
    if (typeof e.hash !== 'string' || !HASH.test(e.hash)) throw new ApiKeyFileError(`${where}.hash must be scrypt:N:r:p:salt:hash`);
    const rps = e.rateLimitRps ?? e.rate_limit_rps;
    if (rps !== undefined && (typeof rps !== 'number' || !(rps > 0))) throw new ApiKeyFileError(`${where}.rateLimitRps must be a positive number`);
    return { id: e.id, name: e.name, roles: roles as Role[], hash: e.hash, ...(rps !== undefined ? { rateLimitRps: rps as number } : {}) };
  });
}

export class ApiKeyRing {
  private readonly byId: Map<string, ApiKeyRecord>;
  /** SHA-256 of a presented value that verified → its record id. */
  private readonly verified = new Map<string, string>();

  constructor(records: readonly ApiKeyRecord[]) {
    this.byId = new Map(records.map((r) => [r.id, r]));
  }

  get size(): number {
    return this.byId.size;
  }

  /** The record whose secret `presented` is, or undefined. */
  async verify(presented: string): Promise<ApiKeyRecord | undefined> {
    const match = TOKEN.exec(presented);
    if (!match) return undefined;
    const record = this.byId.get(match[1]!);
    if (!record) return undefined;
    const digest = createHash('sha256').update(presented).digest('base64url');
    if (this.verified.get(digest) === record.id) return record;
    const [, n, r, p, salt, hash] = HASH.exec(record.hash)!;
    const expected = Buffer.from(hash!, 'base64url');
    const actual = await derive(match[2]!, Buffer.from(salt!, 'base64url'), Number(n), Number(r), Number(p), expected.length);
    if (!timingSafeEqual(actual, expected)) return undefined;
    if (this.verified.size >= MAX_REMEMBERED) this.verified.clear();
    this.verified.set(digest, record.id);
    return record;
  }
}
