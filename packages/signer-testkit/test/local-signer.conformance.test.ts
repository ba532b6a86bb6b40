/**
 * The smallest use: a sync LocalSigner and nothing else. Optional checks appear as skipped
 * tests naming the option that turns them on; the abort test skips itself (sync signer).
 */
import { LocalSigner } from '@a1/core';
import { describeSignerConformance } from '../src/index.js';

describeSignerConformance('local', { create: () => LocalSigner.generate() });
