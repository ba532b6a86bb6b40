/**
 * The four ways KMS names a key (key id, key ARN, alias name, alias ARN), checked before any
 * call so a typo fails fast with a message instead of a NotFoundException from the service.
 */

export const AWS_KMS_PROVIDER = 'aws-kms';

const KEY_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MULTI_REGION_KEY = /^mrk-[0-9a-f]{32}$/i;
const ALIAS_NAME = /^alias\/[a-zA-Z0-9/_-]{1,250}$/;
const ARN = /^arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\d{12}):(key\/.+|alias\/.+)$/;
const REGION = /^[a-z]{2,}(-[a-z0-9]+)+$/;

export interface ParsedKeyId {
  kind: 'key-id' | 'key-arn' | 'alias' | 'alias-arn';
  /** The region an ARN names; undefined for bare ids and alias names. */
  region?: string;
}

/**
 * Why `keyId` is not a KMS key name, or undefined when it is one. The text is never shown: a
 * secret pasted where the key goes (`awskms:///alias/a1&SECRET`) would land in logs. Only the
 * form it resembles is named, with that form's rule.
 */
export function keyIdProblem(keyId: unknown): string | undefined {
  if (typeof keyId !== 'string' || keyId.length === 0) return 'keyId is required (key id, key ARN, alias/name or alias ARN)';
  if (keyId.length > 2048) return 'keyId is longer than 2048 characters';
  if (parseKeyId(keyId) !== undefined) return undefined;
  return `keyId (not shown) is not a KMS key id, key ARN, alias/name or alias ARN: ${formRule(keyId)}`;
}

/** The rule of the form `keyId` starts like, so the message helps without quoting it. */
function formRule(keyId: string): string {
  if (keyId.startsWith('alias/')) return 'an alias name is alias/ then 1 to 250 letters, digits, "/", "_" or "-"';
  if (keyId.startsWith('arn:')) return 'an ARN is arn:aws:kms:REGION:ACCOUNT:key/KEY-ID or arn:aws:kms:REGION:ACCOUNT:alias/NAME';
  if (keyId.startsWith('mrk-')) return 'a multi-Region key id is mrk- then 32 hex digits';
  return 'a key id is a UUID such as 1234abcd-12ab-34cd-56ef-1234567890ab; an alias name starts with alias/';
}

export function parseKeyId(keyId: string): ParsedKeyId | undefined {
  if (KEY_UUID.test(keyId) || MULTI_REGION_KEY.test(keyId)) return { kind: 'key-id' };
  if (ALIAS_NAME.test(keyId)) return { kind: 'alias' };
  const arn = ARN.exec(keyId);
  if (!arn) return undefined;
  const resource = arn[4]!;
  if (resource.startsWith('alias/')) {
    return ALIAS_NAME.test(resource) ? { kind: 'alias-arn', region: arn[2]! } : undefined;
  }
  const id = resource.slice('key/'.length);
  return KEY_UUID.test(id) || MULTI_REGION_KEY.test(id) ? { kind: 'key-arn', region: arn[2]! } : undefined;
}

export function isRegion(value: string): boolean {
  return REGION.test(value);
}
