/**
 * `fromEnv()` configuration, as a pure function of an environment object: the variable names
 * users of the A1 reference already set, plus an optional emulator endpoint.
 */
import { misconfigured } from './errors.js';
import { checkKeyName, formatKeyName, type GcpKmsKeyName } from './key-name.js';

export interface GcpKmsEnvOptions extends GcpKmsKeyName {
  name: string;
  /** From A1_GCP_KMS_ENDPOINT: `http://127.0.0.1:PORT` for the emulator. */
  endpoint?: string;
  /** From GOOGLE_APPLICATION_CREDENTIALS: a service-account or external-account JSON file. */
  keyFilename?: string;
}

const VARIABLES = {
  project: 'A1_GCP_PROJECT',
  location: 'A1_GCP_LOCATION',
  keyRing: 'A1_GCP_KEY_RING',
  key: 'A1_GCP_KEY',
  keyVersion: 'A1_GCP_KEY_VERSION',
} as const;

export function gcpKmsOptionsFromEnv(env: Record<string, string | undefined>): GcpKmsEnvOptions {
  const missing = Object.values(VARIABLES).filter((variable) => !env[variable]?.trim());
  if (missing.length > 0) throw misconfigured(`set ${missing.join(', ')}`);
  const parts = checkKeyName(
    {
      project: env[VARIABLES.project]?.trim(),
      location: env[VARIABLES.location]?.trim(),
      keyRing: env[VARIABLES.keyRing]?.trim(),
      key: env[VARIABLES.key]?.trim(),
      keyVersion: env[VARIABLES.keyVersion]?.trim(),
    },
    VARIABLES,
  );
  const options: GcpKmsEnvOptions = { ...parts, name: formatKeyName(parts) };
  const endpoint = env.A1_GCP_KMS_ENDPOINT?.trim();
  if (endpoint) options.endpoint = endpoint;
  const keyFilename = env.GOOGLE_APPLICATION_CREDENTIALS?.trim();
  if (keyFilename) options.keyFilename = keyFilename;
  return options;
}
