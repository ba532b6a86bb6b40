/**
 * CapabilityRegistry: collision-free masks for up to 256 capabilities, one slot each in
 * registration order (slot s sets bit s % 8 of byte s / 8).
 */
import { A1Error } from './errors.js';
import { MASK_BYTES, NarrowingMatrix } from './narrowing.js';

export const MAX_REGISTRY_CAPABILITIES = 256;

export class CapabilityRegistry {
  private readonly slots = new Map<string, number>();

  /** Returns the name's slot; re-registering returns the existing one. */
  register(name: string): number {
    const existing = this.slots.get(name);
    if (existing !== undefined) return existing;
    if (this.slots.size >= MAX_REGISTRY_CAPABILITIES) {
      throw A1Error.wire(`CapabilityRegistry is full: maximum ${MAX_REGISTRY_CAPABILITIES} capabilities per registry`);
    }
    const slot = this.slots.size;
    this.slots.set(name, slot);
    return slot;
  }

  slotOf(name: string): number | undefined {
    return this.slots.get(name);
  }

  get size(): number {
    return this.slots.size;
  }

  namesInOrder(): string[] {
    return [...this.slots.keys()];
  }

  buildMask(names: Iterable<string>): NarrowingMatrix {
    const mask = new Uint8Array(MASK_BYTES);
    for (const name of names) {
      const slot = this.slots.get(name);
      if (slot === undefined) throw A1Error.wire(`capability '${name}' is not registered; call register() first`);
      mask[slot >> 3]! |= 1 << (slot & 7);
    }
    return NarrowingMatrix.fromBytes(mask);
  }

  buildFullMask(): NarrowingMatrix {
    return this.buildMask(this.slots.keys());
  }
}
