/**
 * Loads each check group's tests (core's vector test files, the matrix checks) and runs them one
 * after another in whatever runtime this bundle is in, reporting passes and failures per group.
 */
import { ed25519Backend } from '@a1/core';
import { GROUPS } from 'a1-matrix:groups';
import { registeredTests, startGroup } from './vitest-shim.js';

// Core tests that assert something about Node itself, with the reason they do not apply elsewhere.
const NODE_ENVIRONMENT_TESTS = new Map([
  ['keys.json: Ed25519 on every backend > has all four backends on Node', 'browsers have neither node:crypto nor libsodium'],
]);

export interface GroupResult {
  passed: number;
  /** Node-environment tests not run in a browser, with the reason. */
  notApplicable: { name: string; reason: string }[];
  failed: { name: string; message: string }[];
}

export interface MatrixReport {
  runtime: string;
  defaultBackend: string;
  groups: Record<string, GroupResult>;
}

function runtimeName(): string {
  const g = globalThis as any;
  if (g.Deno) return `deno ${g.Deno.version.deno}`;
  if (g.Bun) return `bun ${g.Bun.version}`;
  if (g.process?.versions?.node) return `node ${g.process.version}`;
  return g.navigator?.userAgent ?? 'unknown';
}

export async function runSuite(): Promise<MatrixReport> {
  const groups: Record<string, GroupResult> = {};
  for (const { name, load } of GROUPS) {
    const result: GroupResult = (groups[name] = { passed: 0, notApplicable: [], failed: [] });
    startGroup(name);
    try {
      await load();
    } catch (err) {
      result.failed.push({ name: `${name} (loading)`, message: String((err as Error)?.stack ?? err) });
    }
  }
  const inBrowser = !(globalThis as any).process?.versions;
  for (const test of registeredTests()) {
    const result = groups[test.group]!;
    const reason = NODE_ENVIRONMENT_TESTS.get(test.name);
    if (inBrowser && reason) {
      result.notApplicable.push({ name: test.name, reason });
      continue;
    }
    try {
      await test.fn();
      result.passed += 1;
    } catch (err) {
      result.failed.push({ name: test.name, message: String((err as Error)?.message ?? err).slice(0, 2000) });
    }
  }
  return { runtime: runtimeName(), defaultBackend: ed25519Backend().name, groups };
}
