import type { ChildProcess } from 'node:child_process';
import type { WireChain } from './chains.mjs';

export type VerifierRequest =
  | { kind: 'authorize'; chains?: WireChain[]; repeat?: number; concurrency?: number }
  | { kind: 'build'; count: number; hops: number }
  | { kind: 'revoke'; fingerprints: string[] };

export interface VerifierReply {
  outcomes?: string[];
  elapsedMs?: number;
}

export interface Verifier {
  child: ChildProcess;
  request(message: VerifierRequest): Promise<VerifierReply>;
  close(): Promise<void>;
}

export declare function checkBuild(): void;
export declare function startVerifiers(count: number, options: { url?: string; stores?: 'postgres' | 'redis' | 'memory'; poolSize?: number }): Promise<Verifier[]>;
export declare function tally(outcomes: readonly string[]): Record<string, number>;
