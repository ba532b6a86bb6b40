import { createHash } from 'node:crypto';

/**
 * The one script every store operation runs: it first checks the key space's marker (lost-data
 * detection, see `lost-data-guard.ts`), then does the operation, in one atomic step and one round
 * trip. Redis runs a script without interleaving other clients' commands, so check-then-set cannot
 * race.
 *
 * KEYS[1]: the marker key. KEYS[2..]: nonce or revocation keys (all in the marker's hash slot).
 * ARGV[1]: 'consume' (all keys fresh → set all, else nothing) | 'exists' (KEYS[2]) | 'set' | 'check' |
 *   'arm' (first deployment: arm a key space that has no marker; a lost one stays lost) |
 *   'rearm' (set the keys given, then arm the key space whatever its state)
 * ARGV[2]: the marker this store saw last ('' when none yet)
 * ARGV[3]: '1' to arm a key space that has never been armed
 * ARGV[4]: ms after a detected loss when the key space re-arms by itself ('0' = only an operator)
 * ARGV[5]: a fresh random id, used when this call (re-)arms the key space
 * ARGV[5 + i]: expiry of KEYS[1 + i]: 'keep', 'in:<ms>' (from now) or 'at:<unix ms>' (Redis' clock)
 * Returns {'ok', marker, result} (result '1'/'0'; for 'arm', '1' when this call armed it), {'lost', since unix ms} or {'unarmed', ''}.
 *
 * Expiries are measured on Redis' clock (TIME), not the calling verifier's: a verifier whose clock
 * is fast must not shorten how long a nonce is kept for the others. A script that fails at its
 * first write (out of memory) has written nothing; expiries are checked before the call, so no later
 * SET can fail half-way.
 */
export const STORE_SCRIPT_LUA = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function arm(kind)
  local marker = kind .. ':' .. ARGV[5]
  redis.call('SET', KEYS[1], marker)
  return marker
end
local function lose()
  local since = string.format('%d', now_ms())
  redis.call('SET', KEYS[1], 'lost:' .. since)
  return { 'lost', since }
end

local op, seen = ARGV[1], ARGV[2]
local marker = redis.call('GET', KEYS[1])
local fresh = '0'
if op == 'rearm' then
  -- An operator's word (after restoring revocations, which this same call may write): adopted by all.
  marker = arm('rearmed')
elseif not marker then
  if seen ~= '' then return lose() end
  -- Never armed, or emptied before any store saw it: Redis cannot tell which, so only an explicit
  -- 'arm' (an operator's first-deployment step) or an opted-in autoArm writes a marker here.
  if op ~= 'arm' and ARGV[3] ~= '1' then return { 'unarmed', '' } end
  marker = arm('first')
  fresh = '1'
elseif string.sub(marker, 1, 5) == 'lost:' then
  local window = tonumber(ARGV[4])
  if window > 0 and now_ms() - tonumber(string.sub(marker, 6)) >= window then
    marker = arm('rearmed')
  else
    return { 'lost', string.sub(marker, 6) }
  end
elseif seen ~= '' and marker ~= seen and string.sub(marker, 1, 8) ~= 'rearmed:' then
  -- A first-use marker this store never saw: the key space was emptied and armed again by a store
  -- that could not know. Only an operator's (or the window's) 'rearmed:' marker is adopted.
  return lose()
end

if op == 'arm' then return { 'ok', marker, fresh } end
if op == 'check' then return { 'ok', marker, '1' } end
if op == 'exists' then return { 'ok', marker, string.format('%d', redis.call('EXISTS', KEYS[2])) } end
if op == 'consume' then
  for i = 2, #KEYS do
    if redis.call('EXISTS', KEYS[i]) == 1 then return { 'ok', marker, '0' } end
  end
end
for i = 2, #KEYS do
  local spec = ARGV[i + 4]
  if spec == 'keep' then
    redis.call('SET', KEYS[i], '1')
  else
    local ms = tonumber(string.sub(spec, 4))
    if string.sub(spec, 1, 3) == 'at:' then ms = ms - now_ms() end
    if ms < 1000 then ms = 1000 end
    redis.call('SET', KEYS[i], '1', 'PX', string.format('%d', ms))
  end
end
return { 'ok', marker, '1' }
`;

/** EVALSHA sends only this digest; the server caches the script body after the first EVAL. */
export const STORE_SCRIPT_SHA1 = createHash('sha1').update(STORE_SCRIPT_LUA).digest('hex');

export type StoreOperation = 'consume' | 'exists' | 'set' | 'check' | 'arm' | 'rearm';
