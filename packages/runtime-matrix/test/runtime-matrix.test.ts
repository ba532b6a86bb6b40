/**
 * Core's reference vectors, the crafted Ed25519 table and a passport round trip in every runtime
 * of the matrix: one test per runtime and check group. A runtime that is not installed fails the
 * run under CI=true (it never silently skips there); elsewhere its tests are skipped.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { checkGroups } from '../src/groups.mjs';
import { RUNTIMES } from '../src/runtimes.mjs';

const inCi = process.env.CI === 'true';

for (const runtime of RUNTIMES) {
  const installed = runtime.binary() !== undefined;
  describe.skipIf(!installed && !inCi)(`${runtime.label}`, () => {
    let report: any;
    let failure: unknown;
    beforeAll(async () => {
      if (!installed) {
        failure = new Error(`${runtime.label} is not installed; install it with: ${runtime.install}`);
        return;
      }
      report = await runtime.run().catch((err: unknown) => {
        failure = err;
      });
    });

    for (const { name: group } of checkGroups()) {
      it(group, () => {
        if (failure) throw failure;
        const result = report.groups[group];
        expect(result, `${runtime.label} reported no ${group} group`).toBeDefined();
        expect(result.failed).toEqual([]);
        expect(result.passed).toBeGreaterThan(0);
      });
    }
  });
}
