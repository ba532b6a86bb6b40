/**
 * Rich gRPC error details (`grpc-status-details-bin`: a serialized google.rpc.Status whose
 * `details` are google.protobuf.Any), encoded with protobufjs from the google/rpc protos that
 * ship with the client's transport (google-gax decodes them into `err.statusDetails`,
 * `err.reason`, `err.domain`, `err.errorInfoMetadata`).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { shippedProtoDirs } from './proto.js';

let root: protobuf.Root | undefined;

function rpcRoot(): protobuf.Root {
  if (root) return root;
  const loaded = new protobuf.Root();
  const dirs = shippedProtoDirs();
  // Resolve imports (google/protobuf/duration.proto, any.proto) against the shipped folders.
  loaded.resolvePath = (_origin, target) => dirs.map((dir) => join(dir, target)).find((file) => existsSync(file)) ?? target;
  loaded.loadSync(['google/rpc/status.proto', 'google/rpc/error_details.proto'], { keepCase: false });
  root = loaded;
  return root;
}

export type ErrorDetail =
  | { type: 'ErrorInfo'; reason: string; domain: string; metadata: Record<string, string> }
  | { type: 'RetryInfo'; retryDelaySeconds: number }
  | { type: 'Help'; links: { description: string; url: string }[] }
  | { type: 'PreconditionFailure'; violations: { type: string; subject: string; description: string }[] };

/** An Any's fields, by protobufjs's built-in google/protobuf/any.proto, which keeps the snake_case name. */
function packDetail(detail: ErrorDetail): { type_url: string; value: Uint8Array } {
  const r = rpcRoot();
  const typeName = `google.rpc.${detail.type}`;
  const type = r.lookupType(typeName);
  let message: Record<string, unknown>;
  if (detail.type === 'RetryInfo') {
    const seconds = Math.floor(detail.retryDelaySeconds);
    message = { retryDelay: { seconds, nanos: Math.round((detail.retryDelaySeconds - seconds) * 1e9) } };
  } else {
    const { type: _type, ...fields } = detail;
    message = fields;
  }
  return { type_url: `type.googleapis.com/${typeName}`, value: type.encode(type.fromObject(message)).finish() };
}

/** A ServiceError whose metadata carries `grpc-status-details-bin` with the given details. */
export function richStatusError(code: grpc.status, message: string, details: ErrorDetail[]): grpc.ServiceError {
  const status = rpcRoot().lookupType('google.rpc.Status');
  const any = rpcRoot().lookupType('google.protobuf.Any');
  // create(), not fromObject(): protobufjs's Any wrapper reinterprets objects in fromObject.
  const packed = details.map((detail) => any.create(packDetail(detail)));
  const encoded = status.encode(status.create({ code, message, details: packed })).finish();
  const metadata = new grpc.Metadata();
  metadata.set('grpc-status-details-bin', Buffer.from(encoded));
  return Object.assign(new Error(message), { code, details: message, metadata });
}
