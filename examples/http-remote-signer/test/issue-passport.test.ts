/** What a user does with the signer: a passport and a sub-cert signed by the remote key, verified offline. */
import { issuePassport, LocalSigner, parseSignedChain, serializeSignedChain } from '@a1/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HttpRemoteSigner } from '../src/index.js';
import { startKeyServer, type KeyServer } from '../src/key-server.js';

let service: KeyServer;
let rootPublicKey: Uint8Array;
beforeAll(async () => {
  service = await startKeyServer({ token: 'tok-passport-1c9e' });
  rootPublicKey = service.createKey('a1-root');
});
afterAll(() => service.close());

it('issues a passport and a sub-cert with the remote key; the chain verifies offline', async () => {
  const root = new HttpRemoteSigner({ url: service.url, keyName: 'a1-root', token: 'tok-passport-1c9e' });
  const agent = LocalSigner.generate();
  const passport = await issuePassport({ namespace: 'acme', capabilities: ['trade.equity', 'audit.read'], ttlSeconds: 3600, signer: root });
  const sub = await passport.issueSub({ delegatePk: agent.verifyingKey(), capabilities: ['trade.equity'], ttlSeconds: 600, signer: root });
  const chain = passport.newChain();
  chain.certs.push(sub);

  const received = parseSignedChain(serializeSignedChain(chain), { namespace: 'acme' });
  const signsBefore = service.calls.sign;
  const receipt = await passport.guard(received, { agentPk: agent.verifyingKey(), intent: { action: 'trade.equity' } });

  expect(receipt.passportNamespace).toBe('acme');
  expect(received.principalPk).toEqual(rootPublicKey);
  expect(service.calls.sign).toBe(signsBefore); // verification never calls the service
  expect(service.calls.getKey).toBe(1); // the public key was fetched once for both certs
});
