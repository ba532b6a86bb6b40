/**
 * The failover group's one public key: every member must hold the same key (AWS multi-Region
 * keys, an HSM pair with a replicated key). Members that answer at first use are compared at once
 * and any difference refuses the group; a member that could not answer then is compared before it
 * first signs, and refused for good if its key differs.
 */
import { equalBytes, toHex, type AsyncSigner } from '@a1/core';
import { opsError } from './ops-errors.js';

type Who = { provider: string; keyId?: string | undefined };

export class KeyAgreement {
  #pinned: Promise<Uint8Array> | undefined;
  readonly #checked = new Set<number>();
  readonly #refused = new Map<number, Error>();

  constructor(
    private readonly members: readonly AsyncSigner[],
    private readonly who: Who,
  ) {}

  /** The group's key; fetched from every member once (a failure is not cached). */
  key(): Promise<Uint8Array> {
    this.#pinned ??= this.#fetchAll().catch((error: unknown) => {
      this.#pinned = undefined;
      throw error;
    });
    return this.#pinned;
  }

  /** The member was found to hold another key: it never signs for this group. */
  refused(index: number): boolean {
    return this.#refused.has(index);
  }

  /** Resolves once member `index` is known to hold the group's key; rejects (for good) if it does not. */
  async confirm(index: number): Promise<void> {
    const key = await this.key();
    if (this.#checked.has(index)) return;
    const refused = this.#refused.get(index);
    if (refused) throw refused;
    this.#compare(index, await this.members[index]!.verifyingKey(), key);
  }

  async #fetchAll(): Promise<Uint8Array> {
    const answers = await Promise.allSettled(this.members.map((m) => m.verifyingKey()));
    const first = answers.findIndex((a) => a.status === 'fulfilled');
    if (first < 0) throw (answers[0] as PromiseRejectedResult).reason;
    const key = (answers[first] as PromiseFulfilledResult<Uint8Array>).value;
    answers.forEach((answer, index) => {
      if (answer.status === 'fulfilled') this.#compare(index, answer.value, key);
    });
    return key;
  }

  #compare(index: number, memberKey: Uint8Array, key: Uint8Array): void {
    if (equalBytes(memberKey, key)) {
      this.#checked.add(index);
      return;
    }
    const member = this.members[index] as { keyId?: string };
    const error = opsError(
      this.who,
      'Misconfigured',
      `failover member ${index}${member.keyId ? ` (${member.keyId})` : ''} holds public key ${toHex(memberKey)}, not the group's ${toHex(key)}: every member must hold the same key (a multi-Region replica, a replicated HSM key); the group refuses to sign`,
      { retryable: false },
    );
    this.#refused.set(index, error);
    throw error;
  }
}
