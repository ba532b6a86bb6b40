/** JSON schemas shared by several routes (serde's shapes: required fields, types, u8/u64 ranges). */

export const intentSpecSchema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string' },
    params: { type: 'object', additionalProperties: { type: 'string' } },
  },
} as const;

export const issueRequestSchema = {
  type: 'object',
  required: ['delegate_pk_hex', 'intents'],
  properties: {
    delegate_pk_hex: { type: 'string' },
    intents: { type: 'array', items: intentSpecSchema },
    ttl_seconds: { u64: true },
    max_depth: { type: 'integer', minimum: 0, maximum: 255 },
    extensions: { type: 'object' },
  },
} as const;

/** §2.2: the chain's own fields; certs are read exactly by core (a shape error there is a 422 too). */
export const signedChainSchema = {
  type: 'object',
  required: ['version', 'principal_pk', 'principal_scope', 'certs'],
  properties: {
    version: { type: 'integer', minimum: 0, maximum: 255 },
    principal_pk: { type: 'string' },
    principal_scope: { type: 'string' },
    certs: { type: 'array', items: { type: 'object' } },
  },
} as const;
