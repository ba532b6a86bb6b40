/**
 * The a1-pkcs11-keygen command: create an Ed25519 key pair on a PKCS#11 token and print its public key and URI.
 * The PIN comes from an environment variable or a file, never from the command line (where `ps`
 * and shell history would show it).
 */
import { parseArgs } from 'node:util';
import { SignerError } from '@a1/core';
import { parseKeyIdHex } from './env.js';
import { generateEd25519KeyPair } from './keygen.js';
import type { PinSource } from './options.js';
import { pinFromRef } from './pin.js';

const USAGE = `Usage: a1-pkcs11-keygen --label NAME [options]

Creates an Ed25519 key pair (CKM_EC_EDWARDS_KEY_PAIR_GEN) on a PKCS#11 token.

Options:
  --module PATH     PKCS#11 library          (default: $A1_PKCS11_MODULE)
  --token LABEL     token label              (default: $A1_PKCS11_TOKEN)
  --label NAME      CKA_LABEL of the new key (default: $A1_PKCS11_KEY_LABEL)
  --id HEX          CKA_ID of the new key    (default: $A1_PKCS11_KEY_ID, else 16 random bytes)
  --pin-env NAME    read the user PIN from this variable (default: A1_PKCS11_PIN)
  --pin-file PATH   read the user PIN from this file instead
  --json            print JSON instead of text
  -h, --help        show this help`;

export interface CommandOutput {
  out(text: string): void;
  err(text: string): void;
}

const STDIO: CommandOutput = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

/** Runs the command; resolves to the exit code. Errors are printed, never thrown. */
export async function runKeygenCommand(argv: string[], env: NodeJS.ProcessEnv, io: CommandOutput = STDIO): Promise<number> {
  try {
    return await keygen(argv, env, io);
  } catch (e) {
    const message = e instanceof SignerError || e instanceof TypeError ? e.message : String(e);
    io.err(`a1-pkcs11-keygen: ${message}\n`);
    return e instanceof TypeError ? 2 : 1; // TypeError: parseArgs refused the arguments
  }
}

async function keygen(argv: string[], env: NodeJS.ProcessEnv, io: CommandOutput): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      module: { type: 'string' },
      token: { type: 'string' },
      label: { type: 'string' },
      id: { type: 'string' },
      'pin-env': { type: 'string' },
      'pin-file': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  const module = values.module ?? env.A1_PKCS11_MODULE;
  const label = values.label ?? env.A1_PKCS11_KEY_LABEL;
  const token = values.token ?? env.A1_PKCS11_TOKEN;
  const idText = values.id ?? env.A1_PKCS11_KEY_ID;
  if (!module || !label) {
    io.err(`a1-pkcs11-keygen: --module and --label are required\n\n${USAGE}\n`);
    return 2;
  }
  const pin: PinSource = values['pin-file']
    ? pinFromRef({ kind: 'file', path: values['pin-file'] }, env)
    : pinFromRef({ kind: 'env', name: values['pin-env'] ?? 'A1_PKCS11_PIN' }, env);

  const pair = await generateEd25519KeyPair({
    module,
    pin,
    label,
    ...(token ? { token } : {}),
    ...(idText ? { id: parseKeyIdHex(idText, '--id') } : {}),
  });
  const publicKeyHex = Buffer.from(pair.publicKey).toString('hex');
  const idHex = Buffer.from(pair.id).toString('hex');
  if (values.json) {
    io.out(`${JSON.stringify({ publicKey: publicKeyHex, label: pair.label, id: idHex, uri: pair.uri })}\n`);
  } else {
    io.out(`public key  ${publicKeyHex}\nlabel       ${pair.label}\nid          ${idHex}\nuri         ${pair.uri}\n`);
  }
  return 0;
}
