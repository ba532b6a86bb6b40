/**
 * The part of vitest's API core's vector tests use (describe, it, describe.each, expect), for
 * runtimes vitest does not run in. `expect` is vitest's own (@vitest/expect on chai), so every
 * assertion means exactly what it means under vitest.
 */
import { ASYMMETRIC_MATCHERS_OBJECT, chai, JestAsymmetricMatchers, JestChaiExpect, JestExtend } from '@vitest/expect';

chai.use(JestExtend);
chai.use(JestChaiExpect);
chai.use(JestAsymmetricMatchers);

// Built like vitest's own createExpect: chai's expect plus the asymmetric matchers (objectContaining…).
const expectFn = (value: unknown, message?: string) => chai.expect(value, message);
Object.assign(expectFn, chai.expect, (globalThis as any)[ASYMMETRIC_MATCHERS_OBJECT]);
export const expect = expectFn as unknown as typeof import('vitest').expect;

export interface RegisteredTest {
  group: string;
  name: string;
  fn: () => unknown;
}

const registered: RegisteredTest[] = [];
const path: string[] = [];
let group = '';

/** Tests registered from now on belong to `name` (one group per test file). */
export function startGroup(name: string): void {
  group = name;
}

export function registeredTests(): readonly RegisteredTest[] {
  return registered;
}

// vitest's printf-style titles, as far as core's tests use them.
const title = (template: string, args: unknown[]): string => {
  let i = 0;
  return template.replace(/%[sdi]/g, () => String(args[i++]));
};

function describeFn(name: string, body: () => void): void {
  path.push(name);
  try {
    body();
  } finally {
    path.pop();
  }
}

function itFn(name: string, fn: () => unknown): void {
  registered.push({ group, name: [...path, name].join(' > '), fn });
}

const each =
  (register: (name: string, fn: () => unknown) => void) =>
  (rows: readonly unknown[]) =>
  (template: string, fn: (...args: any[]) => unknown) => {
    for (const row of rows) {
      const args = Array.isArray(row) ? row : [row];
      register(title(template, args), () => fn(...args));
    }
  };

export const describe = Object.assign(describeFn, { each: each(describeFn) });
export const it = Object.assign(itFn, { each: each(itFn) });
export const test = it;
