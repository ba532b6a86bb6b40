import { ConformanceError } from '../conformance-error.js';
import type { SignerConformanceOptions } from '../options.js';
import { randomMessage } from '../random-message.js';
import { describeLeaks, findSecretsInTexts, renderingsOfObject, type Secret } from '../secret-leaks.js';
import { withSigner } from '../signer-session.js';

/**
 * A used signer, printed with `console.log` (util.inspect), `String()` or `JSON.stringify`,
 * shows no secret: a token or PIN kept in a plain field is one log line away from leaking.
 */
export async function checkSignerRedaction(
  options: Pick<SignerConformanceOptions, 'create'> & { secrets: readonly Secret[] },
): Promise<void> {
  const check = 'signer redaction';
  await withSigner(check, options.create, async ({ raw, signer }) => {
    // Use it first, so lazily filled state (clients, sessions, caches) is there to print.
    await signer.signMessage(randomMessage());
    const leaks = findSecretsInTexts(renderingsOfObject(raw), options.secrets);
    if (leaks.length > 0) throw new ConformanceError(check, `the signer object reveals a secret: ${describeLeaks(leaks)}`);
  });
}
