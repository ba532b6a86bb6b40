#!/usr/bin/env node
/**
 * `a1-store-redis`: the operator steps of the lost-data guard (README, "Lost data"), on the Redis
 * and key prefixes the services use (`A1_REDIS_URL` and the other `A1_REDIS_*` variables).
 *
 *   a1-store-redis arm                    new deployment: arm both key spaces once
 *   a1-store-redis rearm --revoked FILE   after a loss: restore every revocation, then re-arm both
 *   a1-store-redis rearm --none-revoked   the same, when nothing was ever revoked
 *   a1-store-redis status                 each key space's health
 */
import { readRevokedFingerprints } from './revoked-file.js';
import { RedisNonceStore } from './nonce-store.js';
import { RedisRevocationStore } from './revocation-store.js';

const USAGE = `usage: a1-store-redis arm | rearm (--revoked FILE | --none-revoked) | status
  Reads A1_REDIS_URL, A1_REDIS_NONCE_PREFIX, A1_REDIS_REVOCATION_PREFIX and the other A1_REDIS_* variables.
  arm      a new deployment: arm both key spaces once (never at every service start)
  rearm    after Redis lost its data: write every revoked fingerprint of FILE (hex, one per line,
           # comments allowed), then re-arm both key spaces; running verifiers resume
  status   whether each key space is usable`;

async function main(args: readonly string[], env: Record<string, string | undefined>): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === '-h') {
    console.log(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (!['arm', 'rearm', 'status'].includes(command)) return usageError('unknown command (not shown)');
  let revoked: Uint8Array[] | undefined;
  if (command === 'rearm') {
    if (rest[0] === '--none-revoked' && rest.length === 1) revoked = [];
    else if (rest[0] === '--revoked' && rest.length === 2) revoked = await readRevokedFingerprints(rest[1]!);
    else return usageError('rearm needs --revoked FILE or --none-revoked');
  } else if (rest.length > 0) {
    return usageError(`${command} takes no arguments`);
  }

  const revocations = RedisRevocationStore.fromEnv(env);
  const nonces = RedisNonceStore.fromEnv(env);
  try {
    if (command === 'arm') {
      for (const [name, store] of [['revocation', revocations], ['nonce', nonces]] as const) {
        const armed = await store.arm();
        console.log(`${name} key space ${store.markerKey}: ${armed ? 'armed' : 'already armed'}`);
      }
    } else if (command === 'rearm') {
      await revocations.rearm({ fingerprints: revoked! });
      await nonces.rearm();
      console.log(`re-armed ${revocations.markerKey} (${revoked!.length} revocations restored) and ${nonces.markerKey}`);
    } else {
      let ok = true;
      for (const [name, store] of [['revocation', revocations], ['nonce', nonces]] as const) {
        const health = await store.health();
        ok &&= health.ok;
        console.log(`${name} key space ${store.markerKey}: ${health.ok ? 'ok' : health.reason}`);
      }
      return ok ? 0 : 1;
    }
    return 0;
  } finally {
    await Promise.all([revocations.close(), nonces.close()]);
  }
}

function usageError(problem: string): number {
  console.error(`a1-store-redis: ${problem}\n${USAGE}`);
  return 2;
}

main(process.argv.slice(2), process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Store errors are already scrubbed of the password; anything else prints its message only.
    console.error(`a1-store-redis: ${error instanceof Error ? error.message : 'failed'}`);
    process.exitCode = 1;
  },
);
