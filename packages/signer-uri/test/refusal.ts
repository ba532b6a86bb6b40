import type { SignerUriError } from '../src/index.js';

/** The error a promise rejects with; fails the test when it resolves. */
export async function refusal(promise: Promise<unknown>): Promise<SignerUriError> {
  try {
    await promise;
  } catch (error) {
    return error as SignerUriError;
  }
  throw new Error('expected a refusal, but it resolved');
}
