/** Builds the OpenAPI 3.1 document of every emulator route from the route table. */

import { errorBodySchema, getStatusInfo } from '@apifault/contract';
import { isControlPath } from './control-plane.js';
import { SOURCE_FRONT_DOOR } from './errors.js';
import {
  COMMERCE_PARAMETERS,
  COMMERCE_SCHEMAS,
  COMMERCE_SUCCESS_SCHEMA,
} from './openapi-commerce.js';
import { OPENAPI_EXAMPLES } from './openapi-examples.js';
import { NOT_MODELLED, ROUTES, type RouteSpec } from './routes.js';

/** A resource's `links`: each a Link (`self`, `order`, `subscription`, `provisioningStatus` …). */
const LINKS = { type: 'object', additionalProperties: { $ref: '#/components/schemas/Link' } };

const RESOURCE_SCHEMAS: Record<string, unknown> = {
  Link: {
    type: 'object',
    properties: {
      uri: { type: 'string' },
      method: { type: 'string' },
      headers: {
        type: 'array',
        items: {
          type: 'object',
          properties: { key: { type: 'string' }, value: { type: 'string' } },
        },
      },
    },
  },
  Attributes: {
    type: 'object',
    required: ['objectType'],
    properties: { objectType: { type: 'string' }, etag: { type: 'string' } },
  },
  Customer: {
    type: 'object',
    required: [
      'id',
      'companyProfile',
      'billingProfile',
      'relationshipToPartner',
      'links',
      'attributes',
    ],
    properties: {
      id: { type: 'string' },
      commerceId: { type: 'string' },
      companyProfile: {
        type: 'object',
        properties: {
          tenantId: { type: 'string' },
          domain: { type: 'string' },
          companyName: { type: 'string' },
          attributes: { $ref: '#/components/schemas/Attributes' },
        },
      },
      billingProfile: { type: 'object' },
      relationshipToPartner: { type: 'string' },
      allowDelegatedAccess: { type: 'boolean' },
      links: { type: 'object', properties: { self: { $ref: '#/components/schemas/Link' } } },
      attributes: { $ref: '#/components/schemas/Attributes' },
    },
  },
  Subscription: {
    type: 'object',
    required: [
      'id',
      'offerId',
      'friendlyName',
      'quantity',
      'status',
      'autoRenewEnabled',
      'billingCycle',
      'orderId',
      'attributes',
    ],
    properties: {
      id: { type: 'string' },
      entitlementId: { type: 'string' },
      offerId: { type: 'string' },
      friendlyName: { type: 'string' },
      quantity: { type: 'integer', minimum: 1 },
      unitType: { type: 'string' },
      creationDate: { type: 'string', format: 'date-time' },
      effectiveStartDate: { type: 'string', format: 'date-time' },
      billingType: { type: 'string' },
      status: { enum: ['active', 'suspended', 'deleted'] },
      autoRenewEnabled: { type: 'boolean' },
      billingCycle: { type: 'string' },
      orderId: { type: 'string' },
      links: LINKS,
      attributes: { $ref: '#/components/schemas/Attributes' },
    },
  },
  Order: {
    type: 'object',
    required: [
      'id',
      'referenceCustomerId',
      'billingCycle',
      'lineItems',
      'status',
      'creationDate',
      'attributes',
    ],
    properties: {
      id: { type: 'string' },
      alternateId: { type: 'string' },
      referenceCustomerId: { type: 'string' },
      billingCycle: { type: 'string' },
      currencyCode: { type: 'string' },
      transactionType: { type: 'string' },
      lineItems: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            lineItemNumber: { type: 'integer' },
            offerId: { type: 'string' },
            subscriptionId: { type: 'string' },
            termDuration: { type: 'string' },
            transactionType: { type: 'string' },
            quantity: { type: 'integer' },
            links: LINKS,
          },
        },
      },
      status: { type: 'string' },
      creationDate: { type: 'string', format: 'date-time' },
      links: LINKS,
      attributes: { $ref: '#/components/schemas/Attributes' },
    },
  },
  Collection: {
    type: 'object',
    required: ['totalCount', 'items', 'links', 'attributes'],
    properties: {
      totalCount: { type: 'integer' },
      items: { type: 'array', items: { type: 'object' } },
      links: {
        type: 'object',
        properties: {
          self: { $ref: '#/components/schemas/Link' },
          next: { $ref: '#/components/schemas/Link' },
        },
      },
      continuationToken: { type: 'string' },
      attributes: { $ref: '#/components/schemas/Attributes' },
    },
  },
};

const SUCCESS_SCHEMA: Partial<Record<RouteSpec['name'], string>> = {
  listCustomers: 'Collection',
  createCustomer: 'Customer',
  getCustomer: 'Customer',
  listSubscriptions: 'Collection',
  getSubscription: 'Subscription',
  patchSubscription: 'Subscription',
  listOrders: 'Collection',
  createOrder: 'Order',
  getOrder: 'Order',
  ...COMMERCE_SUCCESS_SCHEMA,
};

const ERROR_HEADERS: Record<number, Record<string, unknown>> = {
  401: {
    'WWW-Authenticate': {
      schema: { type: 'string' },
      description: 'OAuth realm=urn:cpsvc:cpid:{cid}',
    },
  },
  405: { Allow: { schema: { type: 'string' } } },
  429: { 'Retry-After': { schema: { type: 'string' }, description: 'Whole seconds.' } },
  503: { 'Retry-After': { schema: { type: 'string' }, description: 'Whole seconds.' } },
};

const FORCE_STATUS_PARAMETER = {
  name: 'X-Apifault-Force-Status',
  in: 'header',
  required: false,
  description:
    'Answer this 4xx/5xx status instead, with a contract error body and the headers the status requires (fault injection); the `4XX` and `5XX` responses describe it.',
  schema: { type: 'string', pattern: '^[45][0-9]{2}$' },
  example: '503',
};

const OPERATION_PARAMETERS: Partial<Record<RouteSpec['name'], Record<string, unknown>[]>> = {
  ...COMMERCE_PARAMETERS,
  listCustomers: [
    {
      name: 'size',
      in: 'query',
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
    },
    {
      name: 'MS-ContinuationToken',
      in: 'header',
      required: false,
      description: 'The continuationToken of the previous page.',
      schema: { type: 'string' },
    },
  ],
  patchSubscription: [
    {
      name: 'If-Match',
      in: 'header',
      required: true,
      description: "The subscription's attributes.etag, double-quoted; missing or stale is 412.",
      schema: { type: 'string' },
    },
  ],
};

/** An error body as the emulator sends it for `status`, e.g. when the force header asks for it. */
function errorExample(status: number): Record<string, unknown> {
  return {
    code: String(status),
    description: `${getStatusInfo(status).reason['en-US']} (X-Apifault-Force-Status: ${status}, injected by apifault).`,
    source: SOURCE_FRONT_DOOR,
  };
}

function errorResponse(status: number | '4XX' | '5XX'): Record<string, unknown> {
  const example = errorExample(status === '4XX' ? 418 : status === '5XX' ? 500 : status);
  return {
    description:
      typeof status === 'number'
        ? getStatusInfo(status).reason['en-US']
        : `Any other ${status === '4XX' ? 'client' : 'server'} error status: forced by X-Apifault-Force-Status or a fault rule, with the headers that status requires (Retry-After for 429 and 503, WWW-Authenticate for 401, Allow for 405).`,
    headers: {
      'MS-RequestId': { schema: { type: 'string' } },
      'MS-CorrelationId': { schema: { type: 'string' } },
      'MS-CV': { schema: { type: 'string' } },
      ...(typeof status === 'number' ? ERROR_HEADERS[status] : {}),
    },
    content: {
      'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' }, example },
    },
  };
}

/**
 * The OpenAPI path of a route pattern. A trailing `*` (any depth below) has no OpenAPI
 * form, where a parameter is one segment: it becomes one segment, `{subpath}`, and the
 * operation's description says the rest.
 */
function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\*$/, '{subpath}');
}

/** A path's shape, parameter names aside: two paths of one shape are the same to OpenAPI. */
function pathShape(path: string): string {
  return path.replace(/\{[^}]+\}/g, '{}');
}

function parameters(path: string): Record<string, unknown>[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    description:
      m[1] === 'subpath'
        ? 'Any segment; the route answers at every depth below, which an OpenAPI path cannot express.'
        : `The ${m[1]}.`,
    schema: { type: 'string', pattern: '^[^/]+$' },
  }));
}

/** `/v1/customers/{customerId}/users/{subpath}` -> `CustomersUsersSubpath`: its literal segments. */
function pascalName(path: string): string {
  return path
    .split('/')
    .filter((segment) => segment !== 'v1' && (segment === '{subpath}' || !segment.startsWith('{')))
    .map((segment) => segment.replace(/[^A-Za-z0-9]/g, ''))
    .map((segment) => segment.charAt(0).toUpperCase() + segment.slice(1))
    .join('');
}

/** The tag of a route: its last literal segment (`orders`), or `emulator` for its own routes. */
function tagOf(path: string): string {
  if (!path.startsWith('/v1/')) return 'emulator';
  const literals = path.split('/').filter((s) => s !== '' && s !== 'v1' && !s.startsWith('{'));
  return literals.at(-1) ?? 'partner-center';
}

const TAG_DESCRIPTIONS: Record<string, string> = {
  emulator: "The emulator's control plane (/_emulator/*) and this document.",
  'not-modelled':
    'Partner Center routes the emulator knows but does not model: every method answers 501 (only GET is listed).',
};

function describeOperation(route: RouteSpec): string {
  const who = route.auth
    ? "Needs a partner's bearer token. X-Apifault-Force-Status, fault rules (/_emulator/faults) and maintenance mode make it answer the 4XX and 5XX responses on demand."
    : isControlPath(route.path)
      ? 'Needs no partner token: the control token when one is set, and a Host naming the emulator. Never faulted, throttled or put in maintenance.'
      : 'Needs no token. Never faulted, throttled or put in maintenance.';
  return `${route.summary} ${who}`;
}

/**
 * Every array schema gets `items` (linters require it); an array of anything says so with
 * `items: {}`. Applied to every schema the document carries, the contract's included.
 */
function withArrayItems(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withArrayItems);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) out[key] = withArrayItems(value);
  if (out.type === 'array' && out.items === undefined) out.items = {};
  return out;
}

/** What `buildOpenApi` describes. */
export interface OpenApiOptions {
  /** The `servers` URL. @default '/' (the server the document was fetched from) */
  serverUrl?: string;
  /** The routes. @default ROUTES */
  routes?: readonly RouteSpec[];
  /** The patterns answered with 501. @default NOT_MODELLED */
  notModelled?: readonly string[];
}

/** The OpenAPI 3.1 document: every route with its success and error responses. */
export function buildOpenApi({
  serverUrl = '/',
  routes = ROUTES,
  notModelled = NOT_MODELLED,
}: OpenApiOptions = {}): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const operationIds = new Set<string>();
  const tags = new Set<string>();
  const operation = (id: string, tag: string, body: Record<string, unknown>) => {
    // Linters require operationIds usable in a URL and unique: route names are identifiers.
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(id)) throw new Error(`operationId ${id} is no identifier`);
    if (operationIds.has(id)) throw new Error(`two OpenAPI operations named ${id}`);
    operationIds.add(id);
    tags.add(tag);
    return { operationId: id, tags: [tag], ...body };
  };
  for (const route of routes) {
    const path = openApiPath(route.path);
    const item = paths[path] ?? { parameters: parameters(path) };
    paths[path] = item;
    const schema = SUCCESS_SCHEMA[route.name];
    // The emulator's own answer to this route (a freshly seeded one's), and the body it was sent.
    const example = OPENAPI_EXAMPLES[route.name];
    const responses: Record<string, unknown> = {
      [route.success]:
        route.success === 204
          ? { description: 'Done.' }
          : {
              description: 'Success.',
              content: {
                'application/json': {
                  schema: schema ? { $ref: `#/components/schemas/${schema}` } : { type: 'object' },
                  ...(example ? { example: example.response } : {}),
                },
              },
            },
    };
    const errors = new Set<number>([...route.errors, 404, 405]);
    for (const status of [...errors].sort()) responses[status] = errorResponse(status);
    if (route.auth) {
      responses['4XX'] = errorResponse('4XX');
      responses['5XX'] = errorResponse('5XX');
    }
    const extra = OPERATION_PARAMETERS[route.name] ?? [];
    const forced = route.auth ? [FORCE_STATUS_PARAMETER] : [];
    item[route.method.toLowerCase()] = operation(route.name, tagOf(path), {
      summary: route.summary,
      description: describeOperation(route),
      ...(extra.length + forced.length > 0 ? { parameters: [...extra, ...forced] } : {}),
      // The control routes: no credentials, or the control token when one is set.
      ...(route.auth
        ? {}
        : { security: isControlPath(route.path) ? [{}, { controlToken: [] }] : [] }),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': {
                  schema: { type: 'object' },
                  ...(example?.request === undefined ? {} : { example: example.request }),
                },
              },
            },
          }
        : {}),
      responses,
    });
  }
  const modelled = new Set(Object.keys(paths).map(pathShape));
  for (const pattern of notModelled) {
    const path = openApiPath(pattern);
    // A route the table now models takes the place of its not-modelled pattern.
    if (modelled.has(pathShape(path))) continue;
    const below = pattern.endsWith('*')
      ? ` Answers 501 at any depth below ${pattern.slice(0, -1)}.`
      : '';
    paths[path] = {
      parameters: parameters(path),
      get: operation(`get${pascalName(path)}NotModelled`, 'not-modelled', {
        summary: 'A Partner Center route the emulator does not model.',
        description: `Every method answers 501 Not Implemented; only GET is listed.${below} Needs a partner's bearer token (401 without), and X-Apifault-Force-Status, fault rules and maintenance apply as on every Partner Center route.`,
        parameters: [FORCE_STATUS_PARAMETER],
        responses: {
          401: errorResponse(401),
          501: errorResponse(501),
          '4XX': errorResponse('4XX'),
          '5XX': errorResponse('5XX'),
        },
      }),
    };
  }
  const { $schema: _schema, $id: _id, ...errorBody } = errorBodySchema;
  return {
    openapi: '3.1.0',
    info: {
      title: 'apifault emulator',
      version: '0.1.0',
      description:
        'A local Partner Center-style API that answers every error status of the contract on demand.',
      contact: { name: 'apifault', url: 'https://www.npmjs.com/package/@apifault/emulator' },
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: serverUrl, description: 'The emulator that served this document.' }],
    security: [{ bearer: [] }],
    tags: [...tags].sort().map((name) => ({
      name,
      description: TAG_DESCRIPTIONS[name] ?? `Partner Center ${name}.`,
    })),
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        controlToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'The control token (--control-token), required by /_emulator/* when set.',
        },
      },
      schemas: withArrayItems({ ErrorBody: errorBody, ...RESOURCE_SCHEMAS, ...COMMERCE_SCHEMAS }),
    },
  };
}
