/**
 * Events the wrappers of this package report to whoever wraps them (instrument() counts them):
 * a failover moving to another member or hedging, a quota governor easing off after a throttle.
 * The inner signer's own SDK retries are not visible here.
 */
import type { AsyncSigner } from '@a1/core';

export type OpsEvent =
  | { kind: 'retry'; reason: 'failover' | 'hedge'; member: number; code?: string }
  | { kind: 'throttle'; ratePerSecond: number };

export type OpsListener = (event: OpsEvent) => void;

export interface OpsEventSource {
  /** Subscribe to this signer's events (and its inner wrappers'); returns the unsubscribe. */
  onOpsEvent?(listener: OpsListener): () => void;
}

/** A small listener set that also relays the events of the signers it wraps. */
export class OpsEvents {
  private readonly listeners = new Set<OpsListener>();

  constructor(inner: readonly AsyncSigner[] = []) {
    for (const signer of inner) (signer as OpsEventSource).onOpsEvent?.((e) => this.emit(e));
  }

  subscribe(listener: OpsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: OpsEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener's bug never fails a signature.
      }
    }
  }
}
