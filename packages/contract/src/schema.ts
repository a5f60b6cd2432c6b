/** The JSON Schema (2020-12) of the error body, for OpenAPI documents and other validators. */

/** The error body's JSON Schema, draft 2020-12. Extra members are allowed. */
export const errorBodySchema = Object.freeze({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://apifault.dev/schemas/error-body.json',
  title: 'Partner Center error body',
  type: 'object',
  required: ['code', 'description', 'source'],
  properties: {
    code: { type: 'string', description: 'The kind of error. Never null.' },
    description: {
      type: 'string',
      minLength: 1,
      maxLength: 1024,
      description: 'What went wrong, with debugging detail. Never null, never empty.',
    },
    data: { type: 'array', description: 'Error details, for some errors only.' },
    source: { type: 'string', description: 'Where the error came from.' },
  },
  additionalProperties: true,
} as const);
