/**
 * Response JSON written in upstream's field order, with u64 values exact (bigint as digits) and
 * already-serialized parts (certs, tokens from @a1/core's reference-form writers) embedded as is.
 */

/** JSON text to embed verbatim. */
export class RawJson {
  constructor(readonly text: string) {}
}

export type OutValue = string | number | bigint | boolean | null | RawJson | OutValue[] | OutObject;
/** Entries in the order they are written; `undefined` values are left out (serde's skip). */
export type OutObject = ReadonlyArray<readonly [string, OutValue | undefined]> & { readonly isOutObject?: true };

export function obj(entries: ReadonlyArray<readonly [string, OutValue | undefined]>): OutObject {
  return Object.assign(entries.slice(), { isOutObject: true as const });
}

export function writeOut(value: OutValue): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'bigint':
      return value.toString();
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('non-finite number in a response');
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
  }
  if (value instanceof RawJson) return value.text;
  if ((value as OutObject).isOutObject) {
    const parts: string[] = [];
    for (const [key, v] of value as OutObject) if (v !== undefined) parts.push(`${JSON.stringify(key)}:${writeOut(v)}`);
    return `{${parts.join(',')}}`;
  }
  return `[${(value as OutValue[]).map(writeOut).join(',')}]`;
}
