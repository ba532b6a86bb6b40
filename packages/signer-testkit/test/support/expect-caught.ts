import { expect } from 'vitest';
import { ConformanceError } from '../../src/index.js';

/** The check must reject with a ConformanceError whose message matches `pattern`. */
export async function expectCaught(check: Promise<unknown>, pattern: RegExp): Promise<ConformanceError> {
  const error = await check.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the check passed, but it should have caught the defect').toBeInstanceOf(ConformanceError);
  expect((error as ConformanceError).message).toMatch(pattern);
  return error as ConformanceError;
}
