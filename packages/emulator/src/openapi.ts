/** Builds the OpenAPI 3.1 document of every emulator route from the route table. */

import { errorBodySchema, getStatusInfo } from '@apifault/contract';
import { isControlPath } from './control-plane.js';
import { NOT_MODELLED, ROUTES, type RouteSpec } from './routes.js';

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
      companyProfile: {
        type: 'object',
        properties: {
          tenantId: { type: 'string' },
          domain: { type: 'string' },
          companyName: { type: 'string' },
        },
      },
      billingProfile: { type: 'object' },
      relationshipToPartner: { type: 'string' },
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
      offerId: { type: 'string' },
      friendlyName: { type: 'string' },
      quantity: { type: 'integer', minimum: 1 },
      status: { enum: ['active', 'suspended', 'deleted'] },
      autoRenewEnabled: { type: 'boolean' },
      billingCycle: { type: 'string' },
      orderId: { type: 'string' },
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
      referenceCustomerId: { type: 'string' },
      billingCycle: { type: 'string' },
      lineItems: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            lineItemNumber: { type: 'integer' },
            offerId: { type: 'string' },
            subscriptionId: { type: 'string' },
            quantity: { type: 'integer' },
          },
        },
      },
      status: { type: 'string' },
      creationDate: { type: 'string', format: 'date-time' },
      attributes: { $ref: '#/components/schemas/Attributes' },
    },
  },
  Collection: {
    type: 'object',
    required: ['totalCount', 'items', 'links', 'attributes'],
    properties: {
      totalCount: { type: 'integer' },
      items: { type: 'array' },
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
  description: 'Answer this 4xx/5xx status instead (fault injection).',
  schema: { type: 'string', pattern: '^[45][0-9]{2}$' },
};

const OPERATION_PARAMETERS: Partial<Record<RouteSpec['name'], Record<string, unknown>[]>> = {
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

function errorResponse(status: number): Record<string, unknown> {
  return {
    description: getStatusInfo(status).reason['en-US'],
    headers: {
      'MS-RequestId': { schema: { type: 'string' } },
      'MS-CorrelationId': { schema: { type: 'string' } },
      'MS-CV': { schema: { type: 'string' } },
      ...ERROR_HEADERS[status],
    },
    content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
  };
}

function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\*$/, '{rest}');
}

function parameters(path: string): Record<string, unknown>[] {
  return [...openApiPath(path).matchAll(/\{([^}]+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
}

/** The OpenAPI 3.1 document: every route with its success and error responses. */
export function buildOpenApi(serverUrl?: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const path = openApiPath(route.path);
    const item = paths[path] ?? { parameters: parameters(route.path) };
    paths[path] = item;
    const schema = SUCCESS_SCHEMA[route.name];
    const responses: Record<string, unknown> = {
      [route.success]:
        route.success === 204
          ? { description: 'Done.' }
          : {
              description: 'Success.',
              content: {
                'application/json': {
                  schema: schema ? { $ref: `#/components/schemas/${schema}` } : { type: 'object' },
                },
              },
            },
    };
    const errors = new Set<number>([...route.errors, 404, 405]);
    for (const status of [...errors].sort()) responses[status] = errorResponse(status);
    const extra = OPERATION_PARAMETERS[route.name] ?? [];
    const forced = route.auth ? [FORCE_STATUS_PARAMETER] : [];
    item[route.method.toLowerCase()] = {
      operationId: route.name,
      summary: route.summary,
      ...(extra.length + forced.length > 0 ? { parameters: [...extra, ...forced] } : {}),
      // The control routes: no credentials, or the control token when one is set.
      ...(route.auth
        ? {}
        : { security: isControlPath(route.path) ? [{}, { controlToken: [] }] : [] }),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: { type: 'object' } } },
            },
          }
        : {}),
      responses,
    };
  }
  for (const pattern of NOT_MODELLED) {
    const path = openApiPath(pattern);
    paths[path] = {
      parameters: parameters(pattern),
      get: {
        operationId: `notModelled ${path}`,
        summary: 'A Partner Center route the emulator does not model.',
        responses: { 501: errorResponse(501), 401: errorResponse(401) },
      },
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
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    security: [{ bearer: [] }],
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
      schemas: { ErrorBody: errorBody, ...RESOURCE_SCHEMAS },
    },
  };
}
