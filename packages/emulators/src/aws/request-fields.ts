/**
 * Reading AWS JSON 1.1 request members with the service's model constraints, so a malformed
 * request gets the `ValidationException` / `SerializationException` the real service sends.
 */
import { KmsServiceError, validationError } from './kms-error.js';

export type RequestBody = Record<string, unknown>;

/** Model member names are PascalCase on the wire, camelCase in the service's messages. */
function memberPath(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

export function optionalString(body: RequestBody, name: string, max = 2048): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new KmsServiceError('SerializationException', `Member ${name} must be a string`);
  }
  if (value.length < 1 || value.length > max) {
    throw validationError(
      `Value at '${memberPath(name)}' failed to satisfy constraint: Member must have length between 1 and ${max}`,
    );
  }
  return value;
}

export function requiredString(body: RequestBody, name: string, max = 2048): string {
  const value = optionalString(body, name, max);
  if (value === undefined) {
    throw validationError(`Value null at '${memberPath(name)}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

export function optionalEnum<T extends string>(body: RequestBody, name: string, allowed: readonly T[]): T | undefined {
  const value = optionalString(body, name);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw validationError(
      `Value '${value}' at '${memberPath(name)}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
    );
  }
  return value as T;
}

export function requiredEnum<T extends string>(body: RequestBody, name: string, allowed: readonly T[]): T {
  const value = optionalEnum(body, name, allowed);
  if (value === undefined) {
    throw validationError(`Value null at '${memberPath(name)}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

export function optionalBoolean(body: RequestBody, name: string): boolean | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new KmsServiceError('SerializationException', `Member ${name} must be a boolean`);
  return value;
}

export function optionalInteger(body: RequestBody, name: string, min: number, max: number): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new KmsServiceError('SerializationException', `Member ${name} must be an integer`);
  }
  if (value < min || value > max) {
    throw validationError(
      `Value '${value}' at '${memberPath(name)}' failed to satisfy constraint: Member must have value between ${min} and ${max}`,
    );
  }
  return value;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Blob members travel as standard base64 strings. */
export function requiredBlob(body: RequestBody, name: string, max: number): Buffer {
  const value = body[name];
  if (value === undefined || value === null) {
    throw validationError(`Value null at '${memberPath(name)}' failed to satisfy constraint: Member must not be null`);
  }
  if (typeof value !== 'string' || !BASE64.test(value)) {
    throw new KmsServiceError('SerializationException', `Member ${name} is not valid base64`);
  }
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length < 1 || bytes.length > max) {
    throw validationError(
      `Value at '${memberPath(name)}' failed to satisfy constraint: Member must have length ${bytes.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${max}`}`,
    );
  }
  return bytes;
}
