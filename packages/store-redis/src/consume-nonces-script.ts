import { createHash } from 'node:crypto';

/**
 * Consumes every nonce of a chain or none, in one atomic step on the server.
 * KEYS: the nonce keys. ARGV[i]: how long to keep KEYS[i], in ms ("0" = no expiry).
 * Returns 1 when every key was fresh (all now set), 0 when any existed (nothing written).
 *
 * Redis runs a script without interleaving other clients' commands, so check-then-set cannot
 * race. A script that fails at its first write (out of memory) has written nothing; retention
 * values are checked before the call, so no later SET can fail half-way.
 */
export const CONSUME_NONCES_LUA = `
for i = 1, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    return 0
  end
end
for i = 1, #KEYS do
  if ARGV[i] == '0' then
    redis.call('SET', KEYS[i], '1')
  else
    redis.call('SET', KEYS[i], '1', 'PX', ARGV[i])
  end
end
return 1
`;

/** EVALSHA sends only this digest; the server caches the script body after the first EVAL. */
export const CONSUME_NONCES_SHA1 = createHash('sha1').update(CONSUME_NONCES_LUA).digest('hex');
