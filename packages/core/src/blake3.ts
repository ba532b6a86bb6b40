/**
 * BLAKE3 (keyed and derive-key modes) with the compression state in locals. Through
 * @noble/hashes each of A1's short per-cert hashes cost 5–15 µs (hasher setup, cloning, a generic
 * compression), which made hashing, not Ed25519, dominate chain verification; here a one-chunk
 * hash is a few hundred ns. Longer inputs use the same compression in the spec's chunk tree.
 * Tests check the results against @noble/hashes for every length around the chunk boundaries.
 */
const IV = Uint32Array.of(0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19);

export const CHUNK_LEN = 1024;
export const FLAG_CHUNK_START = 1;
export const FLAG_CHUNK_END = 2;
export const FLAG_PARENT = 4;
export const FLAG_ROOT = 8;
export const FLAG_KEYED_HASH = 16;
export const FLAG_DERIVE_KEY_CONTEXT = 32;
export const FLAG_DERIVE_KEY_MATERIAL = 64;

const m = new Uint32Array(16);
const block = new Uint8Array(64);

/**
 * The BLAKE3 compression of the loaded block `m` into chaining value `h`, in place. State and
 * message live in locals (no arrays, no allocation): ~20× faster than a generic version here.
 */
function compress(h: Uint32Array, blockLen: number, flags: number, counter = 0): void {
  let m0 = m[0]!, m1 = m[1]!, m2 = m[2]!, m3 = m[3]!, m4 = m[4]!, m5 = m[5]!, m6 = m[6]!, m7 = m[7]!;
  let m8 = m[8]!, m9 = m[9]!, m10 = m[10]!, m11 = m[11]!, m12 = m[12]!, m13 = m[13]!, m14 = m[14]!, m15 = m[15]!;
  let v0 = h[0]!, v1 = h[1]!, v2 = h[2]!, v3 = h[3]!, v4 = h[4]!, v5 = h[5]!, v6 = h[6]!, v7 = h[7]!;
  let v8 = IV[0]! | 0, v9 = IV[1]! | 0, v10 = IV[2]! | 0, v11 = IV[3]! | 0, v12 = counter | 0, v13 = Math.floor(counter / 2 ** 32) | 0, v14 = blockLen, v15 = flags;
  for (let round = 0; round < 7; round++) {
    // Columns.
    v0 = (v0 + v4 + m0) | 0; v12 ^= v0; v12 = (v12 >>> 16) | (v12 << 16); v8 = (v8 + v12) | 0; v4 ^= v8; v4 = (v4 >>> 12) | (v4 << 20);
    v0 = (v0 + v4 + m1) | 0; v12 ^= v0; v12 = (v12 >>> 8) | (v12 << 24); v8 = (v8 + v12) | 0; v4 ^= v8; v4 = (v4 >>> 7) | (v4 << 25);
    v1 = (v1 + v5 + m2) | 0; v13 ^= v1; v13 = (v13 >>> 16) | (v13 << 16); v9 = (v9 + v13) | 0; v5 ^= v9; v5 = (v5 >>> 12) | (v5 << 20);
    v1 = (v1 + v5 + m3) | 0; v13 ^= v1; v13 = (v13 >>> 8) | (v13 << 24); v9 = (v9 + v13) | 0; v5 ^= v9; v5 = (v5 >>> 7) | (v5 << 25);
    v2 = (v2 + v6 + m4) | 0; v14 ^= v2; v14 = (v14 >>> 16) | (v14 << 16); v10 = (v10 + v14) | 0; v6 ^= v10; v6 = (v6 >>> 12) | (v6 << 20);
    v2 = (v2 + v6 + m5) | 0; v14 ^= v2; v14 = (v14 >>> 8) | (v14 << 24); v10 = (v10 + v14) | 0; v6 ^= v10; v6 = (v6 >>> 7) | (v6 << 25);
    v3 = (v3 + v7 + m6) | 0; v15 ^= v3; v15 = (v15 >>> 16) | (v15 << 16); v11 = (v11 + v15) | 0; v7 ^= v11; v7 = (v7 >>> 12) | (v7 << 20);
    v3 = (v3 + v7 + m7) | 0; v15 ^= v3; v15 = (v15 >>> 8) | (v15 << 24); v11 = (v11 + v15) | 0; v7 ^= v11; v7 = (v7 >>> 7) | (v7 << 25);
    // Diagonals.
    v0 = (v0 + v5 + m8) | 0; v15 ^= v0; v15 = (v15 >>> 16) | (v15 << 16); v10 = (v10 + v15) | 0; v5 ^= v10; v5 = (v5 >>> 12) | (v5 << 20);
    v0 = (v0 + v5 + m9) | 0; v15 ^= v0; v15 = (v15 >>> 8) | (v15 << 24); v10 = (v10 + v15) | 0; v5 ^= v10; v5 = (v5 >>> 7) | (v5 << 25);
    v1 = (v1 + v6 + m10) | 0; v12 ^= v1; v12 = (v12 >>> 16) | (v12 << 16); v11 = (v11 + v12) | 0; v6 ^= v11; v6 = (v6 >>> 12) | (v6 << 20);
    v1 = (v1 + v6 + m11) | 0; v12 ^= v1; v12 = (v12 >>> 8) | (v12 << 24); v11 = (v11 + v12) | 0; v6 ^= v11; v6 = (v6 >>> 7) | (v6 << 25);
    v2 = (v2 + v7 + m12) | 0; v13 ^= v2; v13 = (v13 >>> 16) | (v13 << 16); v8 = (v8 + v13) | 0; v7 ^= v8; v7 = (v7 >>> 12) | (v7 << 20);
    v2 = (v2 + v7 + m13) | 0; v13 ^= v2; v13 = (v13 >>> 8) | (v13 << 24); v8 = (v8 + v13) | 0; v7 ^= v8; v7 = (v7 >>> 7) | (v7 << 25);
    v3 = (v3 + v4 + m14) | 0; v14 ^= v3; v14 = (v14 >>> 16) | (v14 << 16); v9 = (v9 + v14) | 0; v4 ^= v9; v4 = (v4 >>> 12) | (v4 << 20);
    v3 = (v3 + v4 + m15) | 0; v14 ^= v3; v14 = (v14 >>> 8) | (v14 << 24); v9 = (v9 + v14) | 0; v4 ^= v9; v4 = (v4 >>> 7) | (v4 << 25);
    // Message permutation [2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8].
    const t0 = m0, t1 = m1, t4 = m4, t5 = m5, t8 = m8, t9 = m9, t12 = m12, t13 = m13;
    m0 = m2; m1 = m6; m2 = m3; m3 = m10; m4 = m7; m5 = t0; m6 = t4; m7 = t13;
    m8 = t1; m9 = m11; m10 = t12; m11 = t5; m12 = t9; m13 = m14; m14 = m15; m15 = t8;
  }
  h[0] = v0 ^ v8; h[1] = v1 ^ v9; h[2] = v2 ^ v10; h[3] = v3 ^ v11; h[4] = v4 ^ v12; h[5] = v5 ^ v13; h[6] = v6 ^ v14; h[7] = v7 ^ v15;
}

function loadBlock(data: Uint8Array, offset: number, len: number): void {
  if (len < 64) block.fill(0);
  block.set(data.subarray(offset, offset + len));
  for (let i = 0, j = 0; i < 16; i++, j += 4) {
    m[i] = block[j]! | (block[j + 1]! << 8) | (block[j + 2]! << 16) | (block[j + 3]! << 24);
  }
}

/** Chaining value (or, with FLAG_ROOT, the output) of chunk number `counter` of the input. */
function chunkValue(key: Uint32Array, flags: number, data: Uint8Array, counter: number, root: boolean): Uint32Array {
  const h = Uint32Array.from(key);
  const blocks = Math.max(1, Math.ceil(data.length / 64));
  for (let b = 0; b < blocks; b++) {
    const offset = b * 64;
    const len = Math.min(64, data.length - offset);
    loadBlock(data, offset, len);
    let f = flags;
    if (b === 0) f |= FLAG_CHUNK_START;
    if (b === blocks - 1) f |= FLAG_CHUNK_END | (root ? FLAG_ROOT : 0);
    compress(h, len, f, counter);
  }
  return h;
}

function parentValue(key: Uint32Array, flags: number, left: Uint32Array, right: Uint32Array, root: boolean): Uint32Array {
  m.set(left, 0);
  m.set(right, 8);
  const h = Uint32Array.from(key);
  compress(h, 64, flags | FLAG_PARENT | (root ? FLAG_ROOT : 0));
  return h;
}

function wordsToBytes(h: Uint32Array): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const w = h[i]!;
    out[4 * i] = w;
    out[4 * i + 1] = w >>> 8;
    out[4 * i + 2] = w >>> 16;
    out[4 * i + 3] = w >>> 24;
  }
  return out;
}

/** 32-byte root output of a one-chunk input under `key` (8 words) with mode `flags`. */
function hashChunk(key: Uint32Array, flags: number, data: Uint8Array): Uint8Array {
  if (data.length > CHUNK_LEN) throw new RangeError('hashChunk takes at most one chunk');
  return wordsToBytes(chunkValue(key, flags, data, 0, true));
}

/**
 * BLAKE3 of any length: chunk chaining values merged into the binary tree with the spec's
 * stack rule (merge while the chunk count is even), the last parent marked as the root.
 */
export function hashTree(key: Uint32Array, flags: number, data: Uint8Array): Uint8Array {
  if (data.length <= CHUNK_LEN) return hashChunk(key, flags, data);
  const chunks = Math.ceil(data.length / CHUNK_LEN);
  const stack: Uint32Array[] = [];
  for (let i = 0; i < chunks - 1; i++) {
    let cv = chunkValue(key, flags, data.subarray(i * CHUNK_LEN, (i + 1) * CHUNK_LEN), i, false);
    for (let total = i + 1; (total & 1) === 0; total >>= 1) cv = parentValue(key, flags, stack.pop()!, cv, false);
    stack.push(cv);
  }
  let cv = chunkValue(key, flags, data.subarray((chunks - 1) * CHUNK_LEN), chunks - 1, false);
  while (stack.length > 0) cv = parentValue(key, flags, stack.pop()!, cv, stack.length === 0);
  return wordsToBytes(cv);
}

export function keyWords(key: Uint8Array): Uint32Array {
  const w = new Uint32Array(8);
  for (let i = 0; i < 8; i++) w[i] = key[4 * i]! | (key[4 * i + 1]! << 8) | (key[4 * i + 2]! << 16) | (key[4 * i + 3]! << 24);
  return w;
}

export const IV_WORDS = IV;
