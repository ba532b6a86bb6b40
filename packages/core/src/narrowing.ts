/**
 * NarrowingMatrix: a 256-bit capability mask. Each name maps to one bit through BLAKE3
 * (`byte = h[0] % 32`, `bit = h[1] % 8`, LSB first), so distinct names can collide.
 */
import { equalBytes, fromHex, toHex, utf8 } from './bytes.js';
import { A1Error } from './errors.js';
import { deriveKey } from './hashing.js';
import { rustTrim } from './intent.js';

export const MASK_BYTES = 32;

export interface BitPosition {
  byteIndex: number;
  bitIndex: number;
  /** byteIndex * 8 + bitIndex */
  position: number;
}

export function capabilityBit(name: string): BitPosition {
  const h = deriveKey('narrowing', utf8(name, 'capability name'));
  const byteIndex = h[0]! % 32;
  const bitIndex = h[1]! % 8;
  return { byteIndex, bitIndex, position: byteIndex * 8 + bitIndex };
}

export class NarrowingMatrix {
  private readonly mask: Uint8Array;

  private constructor(mask: Uint8Array) {
    this.mask = mask;
  }

  static empty(): NarrowingMatrix {
    return new NarrowingMatrix(new Uint8Array(MASK_BYTES));
  }

  static full(): NarrowingMatrix {
    return new NarrowingMatrix(new Uint8Array(MASK_BYTES).fill(0xff));
  }

  static fromBytes(mask: Uint8Array): NarrowingMatrix {
    if (mask.length !== MASK_BYTES) throw A1Error.wire('narrowing matrix must be exactly 32 bytes');
    return new NarrowingMatrix(Uint8Array.from(mask));
  }

  static fromCapabilities(names: Iterable<string>): NarrowingMatrix {
    const mask = new Uint8Array(MASK_BYTES);
    for (const name of names) {
      const { byteIndex, bitIndex } = capabilityBit(name);
      mask[byteIndex]! |= 1 << bitIndex;
    }
    return new NarrowingMatrix(mask);
  }

  /** Comma-separated names; blanks around names and empty entries are ignored. */
  static fromCsv(csv: string): NarrowingMatrix {
    return NarrowingMatrix.fromCapabilities(parseCapabilityCsv(csv));
  }

  static fromHex(hex: string): NarrowingMatrix {
    let bytes: Uint8Array;
    try {
      bytes = fromHex(hex, 'narrowing matrix');
    } catch {
      throw A1Error.wire('invalid narrowing matrix hex');
    }
    if (bytes.length !== MASK_BYTES) throw A1Error.wire('narrowing matrix must be exactly 32 bytes');
    return new NarrowingMatrix(bytes);
  }

  toBytes(): Uint8Array {
    return Uint8Array.from(this.mask);
  }

  toHex(): string {
    return toHex(this.mask);
  }

  commitment(): Uint8Array {
    return deriveKey('narrowing', this.mask);
  }

  has(name: string): boolean {
    const { byteIndex, bitIndex } = capabilityBit(name);
    return (this.mask[byteIndex]! & (1 << bitIndex)) !== 0;
  }

  /** Child ⊆ parent iff `parent & child == child` on all 32 bytes. */
  isSubsetOf(parent: NarrowingMatrix): boolean {
    for (let i = 0; i < MASK_BYTES; i++) {
      if ((this.mask[i]! & parent.mask[i]!) !== this.mask[i]!) return false;
    }
    return true;
  }

  intersect(other: NarrowingMatrix): NarrowingMatrix {
    const out = new Uint8Array(MASK_BYTES);
    for (let i = 0; i < MASK_BYTES; i++) out[i] = this.mask[i]! & other.mask[i]!;
    return new NarrowingMatrix(out);
  }

  /** Number of set bits. */
  capacityCount(): number {
    let n = 0;
    for (const b of this.mask) {
      let v = b;
      while (v) {
        n += v & 1;
        v >>= 1;
      }
    }
    return n;
  }

  isEmpty(): boolean {
    return this.mask.every((b) => b === 0);
  }

  equals(other: NarrowingMatrix): boolean {
    return equalBytes(this.mask, other.mask);
  }
}

/** Throws PassportNarrowingViolation unless `child` ⊆ `parent`. */
export function enforceNarrowing(child: NarrowingMatrix, parent: NarrowingMatrix): void {
  if (!child.isSubsetOf(parent)) throw new A1Error('PassportNarrowingViolation');
}

export function parseCapabilityCsv(csv: string): string[] {
  return csv
    .split(',')
    .map(rustTrim)
    .filter((s) => s.length > 0);
}
