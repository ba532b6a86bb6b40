/** @a1/core promises zero I/O: its built output imports only @noble, and verifying touches no network. */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';

const dist = (file: string) => readFileSync(fileURLToPath(new URL(`../dist/${file}`, import.meta.url)), 'utf8');

function specifiers(code: string): string[] {
  const found = new Set<string>();
  for (const m of code.matchAll(/\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|\brequire\s*\(\s*["']([^"']+)["']\s*\)|^\s*import\s*["']([^"']+)["']/gm)) {
    found.add((m[1] ?? m[2] ?? m[3] ?? m[4])!);
  }
  return [...found];
}

describe('no I/O in @a1/core', () => {
  for (const file of ['index.js', 'index.cjs']) {
    it(`dist/${file} imports only @noble/curves and @noble/hashes`, () => {
      const code = dist(file);
      const mods = specifiers(code);
      expect(mods.length).toBeGreaterThan(0);
      for (const m of mods) expect(m).toMatch(/^@noble\/(curves|hashes)\//);
      for (const banned of ['node:net', 'node:http', 'node:https', 'node:fs', 'node:dgram', 'node:dns', 'node:child_process', 'XMLHttpRequest', 'WebSocket', '@aws-sdk', '@google-cloud', '@azure', 'node-vault', 'pkcs11js']) {
        expect(code).not.toContain(banned);
      }
      expect(code).not.toMatch(/\bfetch\s*\(/);
    });
  }

  afterEach(() => vi.restoreAllMocks());

  it('issuing and verifying a passport chain opens no socket and calls no fetch', async () => {
    const connect = vi.spyOn(net.Socket.prototype, 'connect');
    const request = vi.spyOn(http, 'request');
    const requestTls = vi.spyOn(https, 'request');
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const core = await import('../dist/index.js');
    const holder = core.LocalSigner.generate();
    const agent = core.LocalSigner.generate();
    const passport = core.issuePassport({ namespace: 'ns', capabilities: ['a.read', 'a.write'], ttlSeconds: 60, signer: holder });
    const chain = passport.newChain();
    chain.certs.push(passport.issueSub({ delegatePk: agent.verifyingKey(), capabilities: ['a.read'], ttlSeconds: 30, signer: holder }));
    const parsed = core.parseSignedChain(core.serializeSignedChain(chain), { namespace: 'ns' });
    await passport.guard(parsed, { agentPk: agent.verifyingKey(), intent: { action: 'a.read' }, nonces: new core.MemoryNonceStore() });
    for (const spy of [connect, request, requestTls, fetchSpy]) expect(spy).not.toHaveBeenCalled();
  });
});
