/**
 * A strict, lossless JSON reader and a serde_json-compatible writer.
 *
 * Hand-written rather than a library because core depends on @noble only, and because the wire
 * format needs three things `JSON.parse` cannot give: exact u64 numbers (values up to 2^64−1),
 * errors that name the JSON path, and hard limits on size and nesting for hostile input.
 */
import { A1Error } from './errors.js';

/** A number kept as its source text, so u64 values survive exactly. */
export class JsonNumber {
  constructor(readonly raw: string) {}
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;

/** Objects keep key order (the writer emits what it is given). */
export class JsonObject {
  constructor(readonly entries: Map<string, JsonValue>) {}
  get(key: string): JsonValue | undefined {
    return this.entries.get(key);
  }
  has(key: string): boolean {
    return this.entries.has(key);
  }
}

export interface JsonLimits {
  /** Largest input accepted, in UTF-16 code units (default 8 MiB). */
  maxLength?: number;
  /** Deepest nesting accepted (default 128, serde_json's recursion limit). */
  maxDepth?: number;
}

export const DEFAULT_MAX_JSON_LENGTH = 8 * 1024 * 1024;
const DEFAULT_MAX_DEPTH = 128;

export function parseJson(text: string, limits: JsonLimits = {}): JsonValue {
  if (typeof text !== 'string') throw A1Error.wire('expected JSON text (a string)');
  const maxLength = limits.maxLength ?? DEFAULT_MAX_JSON_LENGTH;
  if (text.length > maxLength) throw A1Error.wire(`JSON input of ${text.length} characters exceeds the limit of ${maxLength}`);
  return new Reader(text, limits.maxDepth ?? DEFAULT_MAX_DEPTH).document();
}

class Reader {
  private pos = 0;
  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  document(): JsonValue {
    // serde_json refuses a byte order mark too; a decoder that strips it would hide it from us.
    if (this.text.charCodeAt(0) === 0xfeff) this.fail('a byte order mark (U+FEFF) before the JSON value; save the file as UTF-8 without a BOM');
    this.skipWhitespace();
    const value = this.value(0);
    this.skipWhitespace();
    if (this.pos !== this.text.length) this.fail('trailing characters after the JSON value');
    return value;
  }

  private fail(what: string): never {
    throw A1Error.wire(`invalid JSON at offset ${this.pos}: ${what}`);
  }

  private skipWhitespace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else break;
    }
  }

  private value(depth: number): JsonValue {
    if (this.pos >= this.text.length) this.fail('unexpected end of input');
    const c = this.text.charCodeAt(this.pos);
    switch (c) {
      case 0x7b /* { */:
        return this.object(depth + 1);
      case 0x5b /* [ */:
        return this.array(depth + 1);
      case 0x22 /* " */:
        return this.string();
      case 0x74 /* t */:
        return this.literal('true', true);
      case 0x66 /* f */:
        return this.literal('false', false);
      case 0x6e /* n */:
        return this.literal('null', null);
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
        this.fail(`unexpected character '${this.text[this.pos]}'`);
    }
  }

  private literal<T extends JsonValue>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail(`expected ${word}`);
    this.pos += word.length;
    return value;
  }

  private object(depth: number): JsonObject {
    if (depth > this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth}`);
    this.pos++;
    const entries = new Map<string, JsonValue>();
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return new JsonObject(entries);
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== 0x22) this.fail('expected a string key');
      const key = this.string();
      // serde rejects a repeated field; accepting the last copy would let two readers disagree.
      if (entries.has(key)) this.fail(`duplicate key "${key}"`);
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== 0x3a) this.fail("expected ':'");
      this.pos++;
      this.skipWhitespace();
      entries.set(key, this.value(depth));
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.pos);
      this.pos++;
      if (c === 0x2c) continue;
      if (c === 0x7d) return new JsonObject(entries);
      this.pos--;
      this.fail("expected ',' or '}'");
    }
  }

  private array(depth: number): JsonValue[] {
    if (depth > this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth}`);
    this.pos++;
    const items: JsonValue[] = [];
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return items;
    }
    for (;;) {
      this.skipWhitespace();
      items.push(this.value(depth));
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.pos);
      this.pos++;
      if (c === 0x2c) continue;
      if (c === 0x5d) return items;
      this.pos--;
      this.fail("expected ',' or ']'");
    }
  }

  private number(): JsonNumber {
    const t = this.text;
    const start = this.pos;
    if (t.charCodeAt(this.pos) === 0x2d) this.pos++;
    const digitsFrom = this.pos;
    while (this.isDigit(t.charCodeAt(this.pos))) this.pos++;
    const intLen = this.pos - digitsFrom;
    if (intLen === 0) this.fail('expected digits');
    if (intLen > 1 && t.charCodeAt(digitsFrom) === 0x30) this.fail('leading zero in number');
    if (t.charCodeAt(this.pos) === 0x2e) {
      this.pos++;
      const f = this.pos;
      while (this.isDigit(t.charCodeAt(this.pos))) this.pos++;
      if (this.pos === f) this.fail('expected digits after the decimal point');
    }
    const e = t.charCodeAt(this.pos);
    if (e === 0x65 || e === 0x45) {
      this.pos++;
      const s = t.charCodeAt(this.pos);
      if (s === 0x2b || s === 0x2d) this.pos++;
      const f = this.pos;
      while (this.isDigit(t.charCodeAt(this.pos))) this.pos++;
      if (this.pos === f) this.fail('expected digits in the exponent');
    }
    return new JsonNumber(t.slice(start, this.pos));
  }

  private isDigit(c: number): boolean {
    return c >= 0x30 && c <= 0x39;
  }

  private string(): string {
    const t = this.text;
    this.pos++;
    let out = '';
    let runStart = this.pos;
    for (;;) {
      if (this.pos >= t.length) this.fail('unterminated string');
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) {
        out += t.slice(runStart, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) this.fail('control character in string');
      if (c >= 0xd800 && c <= 0xdfff) {
        // Raw lone surrogates cannot come from valid UTF-8 input.
        const next = t.charCodeAt(this.pos + 1);
        if (c >= 0xdc00 || !(next >= 0xdc00 && next <= 0xdfff)) this.fail('lone surrogate in string');
        this.pos += 2;
        continue;
      }
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      out += t.slice(runStart, this.pos);
      this.pos++;
      const esc = t[this.pos];
      this.pos++;
      switch (esc) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          const unit = this.hex4();
          if (unit >= 0xd800 && unit <= 0xdbff) {
            if (t[this.pos] !== '\\' || t[this.pos + 1] !== 'u') this.fail('lone leading surrogate in hex escape');
            this.pos += 2;
            const low = this.hex4();
            if (low < 0xdc00 || low > 0xdfff) this.fail('invalid low surrogate in hex escape');
            out += String.fromCharCode(unit, low);
          } else if (unit >= 0xdc00 && unit <= 0xdfff) {
            this.fail('lone trailing surrogate in hex escape');
          } else {
            out += String.fromCharCode(unit);
          }
          break;
        }
        default:
          this.pos--;
          this.fail('invalid escape');
      }
      runStart = this.pos;
    }
  }

  private hex4(): number {
    const s = this.text.slice(this.pos, this.pos + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(s)) this.fail('invalid \\u escape');
    this.pos += 4;
    return parseInt(s, 16);
  }
}

// ---- writer -------------------------------------------------------------------------------

/** Values the writer understands: raw numbers as bigint/number, ordered objects as entry lists. */
export type WritableJson =
  | null
  | boolean
  | string
  | number
  | bigint
  | JsonNumber
  | WritableJson[]
  | { readonly [entriesSymbol]: ReadonlyArray<readonly [string, WritableJson]> };

export const entriesSymbol: unique symbol = Symbol('ordered-json-object');

export function orderedObject(entries: ReadonlyArray<readonly [string, WritableJson]>): WritableJson {
  return { [entriesSymbol]: entries };
}

/** Compact output identical to `serde_json::to_string`, or with `indent` to `to_string_pretty`. */
export function writeJson(value: WritableJson, pretty = false): string {
  return write(value, pretty, '');
}

function write(value: WritableJson, pretty: boolean, indent: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('cannot write a non-finite number');
      return String(value);
    case 'bigint':
      return value.toString();
    case 'string':
      return JSON.stringify(value);
  }
  if (value instanceof JsonNumber) return value.raw;
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const parts = value.map((v) => write(v, pretty, inner));
    return pretty ? `[\n${inner}${parts.join(`,\n${inner}`)}\n${indent}]` : `[${parts.join(',')}]`;
  }
  const entries = (value as { [entriesSymbol]: ReadonlyArray<readonly [string, WritableJson]> })[entriesSymbol];
  if (entries.length === 0) return '{}';
  const parts = entries.map(([k, v]) => `${JSON.stringify(k)}:${pretty ? ' ' : ''}${write(v, pretty, inner)}`);
  return pretty ? `{\n${inner}${parts.join(`,\n${inner}`)}\n${indent}}` : `{${parts.join(',')}}`;
}

/** A parsed value back to writable form (numbers keep their source text). */
export function toWritable(value: JsonValue): WritableJson {
  if (value instanceof JsonObject) return orderedObject([...value.entries].map(([k, v]) => [k, toWritable(v)] as const));
  if (Array.isArray(value)) return value.map(toWritable);
  return value;
}
