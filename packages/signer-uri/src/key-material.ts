/**
 * Does a piece of text (a path, an argument) look like a key pasted in the wrong place? Such text
 * is never printed, not even partly. Caught: a run of 16+ hex digits (a seed or a piece of one);
 * 64+ hex digits with separators (`ab:ab:…`, `abab-abab …`, `0x…`); and base64 / base64url text
 * that decodes to 32 or 64 bytes (an Ed25519 seed or expanded key), padded or not, with or
 * without whitespace.
 */

const HEX_RUN = /[0-9a-fA-F]{16,}/;
/** 64 hex digits, each optionally followed by one separator: a 32-byte key written with separators. */
const SEPARATED_HEX = /(?:[0-9a-fA-F][\s:._,-]?){64,}/;
/** Base64 and base64url characters, padding included; `/` splits a path and is also base64. */
const BASE64_RUN = /[A-Za-z0-9+/_-]+={0,2}/g;
/** Unpadded lengths of 32 and 64 bytes in base64. */
const KEY_BASE64_LENGTHS = new Set([43, 86]);
const MIN_DISTINCT_ACROSS_SLASHES = 24;

function isKeyBase64(candidate: string): boolean {
  const body = candidate.replace(/=+$/, '');
  if (!KEY_BASE64_LENGTHS.has(body.length)) return false;
  const padding = candidate.length - body.length;
  if (padding !== 0 && candidate.length % 4 !== 0) return false;
  // A 43-character directory name made of words is not a key: random base64 of this length
  // almost always holds a digit, a `+` or padding.
  if (!/[0-9+=]/.test(candidate)) return false;
  // Across `/` it might be path words (`home/alice/projects/…`): random base64 of 43 characters
  // uses about 31 distinct ones, a path of words about 20.
  return !body.includes('/') || new Set(body).size >= MIN_DISTINCT_ACROSS_SLASHES;
}

/** Every `/`-joined stretch of a base64 run: `/home/u/<key>` holds the key as one stretch. */
function hasKeyBase64(text: string): boolean {
  for (const run of text.replace(/\s+/g, '').match(BASE64_RUN) ?? []) {
    const parts = run.split('/');
    for (let first = 0; first < parts.length; first++) {
      let candidate = '';
      for (let last = first; last < parts.length && candidate.length <= 90; last++) {
        candidate = last === first ? parts[first]! : `${candidate}/${parts[last]}`;
        if (isKeyBase64(candidate)) return true;
      }
    }
  }
  return false;
}

export function looksLikeKeyMaterial(text: string): boolean {
  return HEX_RUN.test(text) || SEPARATED_HEX.test(text) || hasKeyBase64(text);
}
