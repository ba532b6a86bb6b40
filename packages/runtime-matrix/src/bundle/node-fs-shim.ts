/**
 * `node:fs` and `node:url` for core's test helpers outside Node: `loadVector` reads
 * `./vectors/<name>.json`, which the bundle carries (the reference vectors, embedded at build time).
 */
import { VECTOR_FILES } from 'a1-matrix:vectors';

export function readFileSync(path: string | URL): string {
  const name = String(path).split('/').pop() ?? '';
  const text = VECTOR_FILES[name];
  if (text === undefined) throw new Error(`${name}: not a reference vector file embedded in this bundle`);
  return text;
}

export function fileURLToPath(url: string | URL): string {
  return String(url);
}

/** core's helpers require sodium-native through this; the matrix's wrapper replaces that use. */
export function createRequire(): never {
  throw new Error('createRequire is not available in the runtime-matrix bundle');
}
