/** The matrix's stand-in for vitest registers what core's tests declare and fails what fails. */
import { describe as vdescribe, expect as vexpect, it as vit } from 'vitest';
import { describe, expect, it, registeredTests, startGroup } from '../src/bundle/vitest-shim.js';

vdescribe('the vitest stand-in used in other runtimes', () => {
  vit('registers nested and .each tests under the current group with full titles', async () => {
    startGroup('shim-check');
    describe.each([['noble', 1], ['webcrypto', 2]])('backend %s', (name, n) => {
      it(`case ${n}`, () => expect(name).toMatch(/^(noble|webcrypto)$/));
    });
    describe('outer', () => it('fails', () => expect({ a: 1 }).toEqual({ a: 2 })));
    const mine = registeredTests().filter((t) => t.group === 'shim-check');
    vexpect(mine.map((t) => t.name)).toEqual(['backend noble > case 1', 'backend webcrypto > case 2', 'outer > fails']);
    await mine[0]!.fn();
    vexpect(() => mine[2]!.fn()).toThrow(/deeply equal/);
  });

  vit('expect is vitest’s: asymmetric matchers and async rejections work', async () => {
    expect({ id: 7, name: 'x' }).toEqual(expect.objectContaining({ id: 7 }));
    await expect(Promise.reject(new Error('no'))).rejects.toThrow('no');
    vexpect(() => expect(1).toBe(2)).toThrow();
  });
});
