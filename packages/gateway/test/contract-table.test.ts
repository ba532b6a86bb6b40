import { A1Error, type A1ErrorCode } from '@a1/core';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/index.js';

describe('error-code table (§1.8)', () => {
  it('agrees with core everywhere except storage, where upstream says STORAGE_ERROR', () => {
    for (const [code, upstream] of Object.entries(ERROR_CODES) as Array<[A1ErrorCode, string]>) {
      const core = new A1Error(code, { index: 0, reason: 'r', expected: 1, got: 2, limit: 1 }).errorCode;
      expect([code, upstream]).toEqual([code, code === 'StorageFailure' ? 'STORAGE_ERROR' : core]);
    }
  });
});
