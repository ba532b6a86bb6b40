import { ConformanceError } from '../conformance-error.js';
import type { SignerConformanceOptions } from '../options.js';
import { describeLeaks, findSecretLeaks, findSecretsInTexts, type Secret } from '../secret-leaks.js';
import { checkSignerRedaction } from './signer-redaction.js';

export interface SecretsCheckInput extends Pick<SignerConformanceOptions, 'create'> {
  secrets: readonly Secret[];
  /** Errors the suite provoked (faults, wrong key type); each is searched in every printed form. */
  errors?: readonly unknown[];
  /** What was written to console/stdout/stderr meanwhile (see `captureOutput`). */
  output?: ReadonlyArray<readonly [where: string, text: string]>;
}

/** No secret in the provoked errors, in the captured output, or in the logged signer. */
export async function checkSecretsStayHidden(input: SecretsCheckInput): Promise<void> {
  const check = 'secrets';
  (input.errors ?? []).forEach((error, i) => {
    const leaks = findSecretLeaks(error, input.secrets);
    if (leaks.length > 0) throw new ConformanceError(check, `provoked error #${i} reveals ${describeLeaks(leaks)}`);
  });
  const logged = findSecretsInTexts(input.output ?? [], input.secrets);
  if (logged.length > 0) throw new ConformanceError(check, `output during the suite reveals ${describeLeaks(logged)}`);
  await checkSignerRedaction({ create: input.create, secrets: input.secrets });
}
