/**
 * A compromised or intercepted Vault answer that reports a small-order (or non-point) public key
 * is refused when the signer pins its key: SignerError InvalidResponse, not retryable, naming the
 * problem — before anything is signed. The answer comes from the real Vault emulator through a
 * loopback proxy that rewrites `public_key` in key reads (the emulator's FaultPlan has no such fault).
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignerError } from '@a1/core';
import type { VaultTransitEmulator } from '@a1/emulators';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueCert, rejection, startVault, tokenSigner } from './support.js';

let vault: VaultTransitEmulator;
let proxy: Server;
let proxyEndpoint: string;
let forgedKey: Buffer;

/** Forwards every request to the emulator; in key reads, every version's public_key becomes `forgedKey`. */
function startInterceptor(target: string): Promise<string> {
  proxy = createServer((req, res) => {
    const upstream = request(new URL(req.url!, target), { method: req.method, headers: req.headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        let body = Buffer.concat(chunks);
        if (req.method === 'GET' && /\/keys\/[^/]+$/.test(req.url!.split('?')[0]!)) {
          const json = JSON.parse(body.toString()) as { data?: { keys?: Record<string, { public_key?: string }> } };
          for (const v of Object.values(json.data?.keys ?? {})) v.public_key = forgedKey.toString('base64');
          body = Buffer.from(JSON.stringify(json));
        }
        const headers = { ...answer.headers, 'content-length': String(body.length) };
        delete headers['transfer-encoding'];
        res.writeHead(answer.statusCode ?? 502, headers).end(body);
      });
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  return new Promise((resolve) => proxy.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`)));
}

beforeEach(async () => {
  vault = await startVault();
  vault.createKey({ name: 'a1-root' });
  proxyEndpoint = await startInterceptor(vault.endpoint);
});
afterEach(async () => {
  await new Promise((r) => proxy.close(r));
  await vault.close();
});

describe('the pinned key is checked, not only its length', () => {
  it.each([
    ['00…00', Buffer.alloc(32), /small-order/],
    ['the identity 01 00…00', Buffer.from('01'.padEnd(64, '0'), 'hex'), /small-order/],
    ['y = 2, not a curve point', Buffer.from('02'.padEnd(64, '0'), 'hex'), /not a valid Ed25519 public key/],
  ])('Vault answering %s: verifyingKey() is InvalidResponse, not retryable; no Sign call', async (_label, key, problem) => {
    forgedKey = key;
    const signer = tokenSigner(vault, { endpoint: proxyEndpoint, maxRetries: 2 });
    try {
      const e = await rejection(signer.verifyingKey());
      expect(e).toBeInstanceOf(SignerError);
      expect(e).toMatchObject({ code: 'InvalidResponse', retryable: false, provider: 'vault-transit', keyId: 'transit/keys/a1-root' });
      expect((e as Error).message).toMatch(problem);
      expect((e as Error).message).toContain('public key of version 1');
      await expect(issueCert(signer)).rejects.toMatchObject({ code: 'InvalidResponse' });
      expect(vault.calls.get('Sign') ?? 0).toBe(0);
    } finally {
      await signer.close();
    }
  });

  it('the same proxy passing an honest key through works (the interceptor itself is transparent)', async () => {
    forgedKey = Buffer.from(vault.getKey('a1-root')!.ed25519PublicKey()!);
    const signer = tokenSigner(vault, { endpoint: proxyEndpoint });
    try {
      expect(Buffer.from(await signer.verifyingKey())).toEqual(forgedKey);
      await issueCert(signer);
    } finally {
      await signer.close();
    }
  });
});
