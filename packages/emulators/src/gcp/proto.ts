/**
 * The Cloud KMS service definition, loaded from the `.proto` files that ship in
 * `@google-cloud/kms` (plus the google/api and google/longrunning imports that ship in its
 * transport, google-gax), with the same loader options the client uses, so the emulator
 * speaks exactly the wire format the real client encodes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const SERVICE = 'google.cloud.kms.v1.KeyManagementService';

/** google-gax's loader options: camelCase fields, int64 as strings, enums as names. */
const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

// Works from the ESM source, the ESM build and the CJS build (where import.meta is empty).
const here = typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);

/** Folder of the installed package `name`, found from the file its main entry resolves to. */
function packageRoot(resolvedEntry: string, name: string): string {
  let dir = dirname(resolvedEntry);
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name) {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot locate the ${name} package folder`);
    dir = parent;
  }
}

let cached: grpc.ServiceDefinition | undefined;

/** The folders holding the shipped Cloud KMS protos and the google/api, google/rpc protos. */
export function shippedProtoDirs(): string[] {
  const fromHere = createRequire(here);
  const kmsRoot = packageRoot(fromHere.resolve('@google-cloud/kms'), '@google-cloud/kms');
  const gaxRoot = packageRoot(createRequire(join(kmsRoot, 'package.json')).resolve('google-gax'), 'google-gax');
  return [join(kmsRoot, 'build', 'protos'), join(gaxRoot, 'build', 'protos')];
}

export function keyManagementServiceDefinition(): grpc.ServiceDefinition {
  if (cached) return cached;
  const definition = protoLoader.loadSync('google/cloud/kms/v1/service.proto', {
    ...LOADER_OPTIONS,
    includeDirs: shippedProtoDirs(),
  });
  const service = definition[SERVICE];
  if (!service || !('AsymmetricSign' in service)) throw new Error(`${SERVICE} missing from the shipped protos`);
  cached = service as grpc.ServiceDefinition;
  return cached;
}
