/**
 * A1 documents on disk: passport files, chains and single certs, in either JSON form. Detects
 * which one a file holds so `inspect` and `convert` take any of them.
 */
import { A1Error, loadPassport, parseCert, parseSignedChain, type DelegationCert, type JsonForm, type Passport, type SignedChain } from '@a1/core';
import { readTextFile } from './files.js';

export type A1Document =
  | { kind: 'passport'; passport: Passport; form: 'reference' }
  | { kind: 'chain'; chain: SignedChain; form: JsonForm }
  | { kind: 'cert'; cert: DelegationCert; form: JsonForm };

/** Which JSON form a cert object uses: the reference writes keys as arrays of numbers, the schema as hex. */
function formOfCert(cert: unknown): JsonForm {
  const key = (cert as { delegator_pk?: unknown } | null)?.delegator_pk;
  return typeof key === 'string' ? 'schema' : 'reference';
}

/** Parses text as whichever A1 document it is; WireFormatError when it is none. */
export function parseDocument(text: string): A1Document {
  let shape: Record<string, unknown>;
  try {
    // Only to see the top-level keys; the strict core reader does the real parsing.
    shape = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw A1Error.wire('not JSON');
  }
  if (shape === null || typeof shape !== 'object' || Array.isArray(shape)) throw A1Error.wire('expected a JSON object');
  if ('_magic' in shape || 'a1_passport' in shape) return { kind: 'passport', passport: loadPassport(text), form: 'reference' };
  if ('certs' in shape) {
    const first = Array.isArray(shape.certs) ? shape.certs[0] : undefined;
    return { kind: 'chain', chain: parseSignedChain(text), form: formOfCert(first) };
  }
  if ('delegator_pk' in shape) return { kind: 'cert', cert: parseCert(text), form: formOfCert(shape) };
  throw A1Error.wire('not a passport file, a chain (certs) or a cert (delegator_pk)');
}

/** Runs a parser, naming the file in any WireFormatError. */
function inFile<T>(path: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof A1Error && error.code === 'WireFormatError') throw A1Error.wire(`${path}: ${error.details.reason ?? error.message}`);
    throw error;
  }
}

export async function readDocument(path: string): Promise<A1Document> {
  const text = await readTextFile(path);
  return inFile(path, () => parseDocument(text));
}

export async function readChainFile(path: string, namespace?: string): Promise<SignedChain> {
  const text = await readTextFile(path);
  return inFile(path, () => parseSignedChain(text, namespace === undefined ? {} : { namespace }));
}

export async function readPassportFile(path: string): Promise<Passport> {
  const text = await readTextFile(path);
  return inFile(path, () => loadPassport(text));
}
