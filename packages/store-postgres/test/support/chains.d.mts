import type { LocalSigner, SignedChain } from '@a1/core';
export interface TestChain {
  chain: SignedChain;
  agentPk: Uint8Array;
  intent: Uint8Array;
  now: bigint;
}
export interface WireChain {
  chainJson: string;
  agentPk: string;
  intent: string;
  now: string;
}
export declare function chainSigners(hops: number): LocalSigner[];
export declare function buildChain(options?: {
  hops?: number;
  nonces?: Uint8Array[];
  now?: bigint;
  action?: string;
  signers?: LocalSigner[];
}): TestChain;
export declare function toWire(chain: TestChain): WireChain;
export declare function fromWire(wire: WireChain): TestChain;
