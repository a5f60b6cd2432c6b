/** Turns any thrown value (ApiError, http-errors, Boom, Fastify, Hono, anything) into plain error parts. */

import { type ApiErrorOptions, isApiError } from '@apifault/contract';
import { emptyBody, invalidJson, payloadTooLarge, unsupportedContentType } from '../body/errors.js';
import { validationError } from '../body/validation.js';

/** What the renderer needs from an error, whatever threw it. */
export interface ErrorParts {
  status: number;
  code: string;
  /** The description the thrower gave, if any (shown only when `expose`). */
  description: string | undefined;
  data: unknown[] | undefined;
  source: string | undefined;
  headers: Readonly<Record<string, unknown>> | undefined;
  /** Whether `description` and `data` may be shown. */
  expose: boolean;
  /** Whether the thrower knew what it was doing: false means an unexpected error, always logged. */
  known: boolean;
}

type Bag = Record<string, unknown>;

function validStatus(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 599
    ? value
    : undefined;
}

function unknownError(): ErrorParts {
  return {
    status: 500,
    code: '500',
    description: undefined,
    data: undefined,
    source: undefined,
    headers: undefined,
    expose: false,
    known: false,
  };
}

function fromApiError(error: Bag): ErrorParts {
  const status = validStatus(error['status']) ?? 500;
  const code = error['code'];
  return {
    status,
    code: typeof code === 'string' || typeof code === 'number' ? String(code) : String(status),
    description: typeof error['description'] === 'string' ? error['description'] : undefined,
    data: Array.isArray(error['data']) ? error['data'] : undefined,
    source: typeof error['source'] === 'string' ? error['source'] : undefined,
    headers: isBag(error['headers']) ? error['headers'] : undefined,
    expose: typeof error['expose'] === 'boolean' ? error['expose'] : status < 500,
    known: true,
  };
}

/**
 * The parts of the ApiError `options` would build, without building it: the same defaults
 * (status outside 400–599 → 500, `code` → the status, `expose` → true for a 4xx).
 */
export function optionsParts(options: ApiErrorOptions): ErrorParts {
  return fromApiError(options as unknown as Bag);
}

function isBag(value: unknown): value is Bag {
  return typeof value === 'object' && value !== null;
}

function fromContract(error: unknown): ErrorParts {
  return fromApiError(error as Bag);
}

/** Headers a Hono `HTTPException` carries on its prepared response. */
function responseHeaders(res: unknown): Record<string, string> | undefined {
  if (!isBag(res) || !isBag(res['headers'])) return undefined;
  const get = (res['headers'] as Bag)['get'];
  if (typeof get !== 'function') return undefined;
  const out: Record<string, string> = {};
  for (const name of ['www-authenticate', 'allow', 'retry-after']) {
    const value = get.call(res['headers'], name);
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}

function fastifyParts(error: Bag, code: string, contentType: string | undefined): ErrorParts {
  switch (code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return fromContract(unsupportedContentType(contentType));
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return fromContract(payloadTooLarge());
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return fromContract(emptyBody());
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return fromContract(invalidJson(String(error['message'] ?? '')));
  }
  if (Array.isArray(error['validation'])) {
    const fields = (error['validation'] as unknown[]).map((v) => {
      const item = isBag(v) ? v : {};
      const params = isBag(item['params']) ? item['params'] : {};
      const missing = params['missingProperty'];
      const path = typeof item['instancePath'] === 'string' ? item['instancePath'] : '';
      return {
        // A missing property is reported on its parent; name the property itself.
        field: typeof missing === 'string' ? `${path}/${missing}` : path || '/',
        message: String(item['message'] ?? 'is not valid'),
      };
    });
    return fromContract(validationError(fields));
  }
  const status = validStatus(error['statusCode']) ?? 500;
  return {
    status,
    code: String(status),
    description: typeof error['message'] === 'string' ? error['message'] : undefined,
    data: undefined,
    source: undefined,
    headers: isBag(error['headers']) ? error['headers'] : undefined,
    // Fastify's own 4xx messages are written for the caller.
    expose: status < 500,
    known: status < 500,
  };
}

/**
 * Reduces `error` to the parts of an error response. Foreign 4xx descriptions are shown
 * only when the error says so (`expose`, Boom and Fastify 4xx, Hono's HTTPException);
 * anything unrecognised is an unexpected 500.
 */
export function classifyError(error: unknown, contentType?: string): ErrorParts {
  if (!isBag(error)) return unknownError();
  if (isApiError(error)) return fromApiError(error as unknown as Bag);
  const e = error;
  let code: unknown;
  try {
    code = e['code'];
  } catch {
    return unknownError();
  }
  // Boom: the public answer lives in `output`.
  if (e['isBoom'] === true && isBag(e['output'])) {
    const output = e['output'];
    const status = validStatus(output['statusCode']) ?? 500;
    const payload = isBag(output['payload']) ? output['payload'] : {};
    const message = typeof payload['message'] === 'string' ? payload['message'] : e['message'];
    return {
      status,
      code: String(status),
      description: typeof message === 'string' ? message : undefined,
      data: undefined,
      source: undefined,
      headers: isBag(output['headers']) ? output['headers'] : undefined,
      expose: status < 500,
      known: status < 500,
    };
  }
  if (typeof code === 'string' && code.startsWith('FST_'))
    return fastifyParts(e, code, contentType);
  // Fastify marks a JSON syntax error with statusCode 400.
  if (e instanceof SyntaxError && e['statusCode'] === 400) {
    return fromContract(invalidJson(e.message));
  }
  // body-parser (Express): typed http-errors.
  if (e['type'] === 'entity.parse.failed') {
    return fromContract(invalidJson(String(e['message'] ?? '')));
  }
  if (e['type'] === 'entity.too.large') {
    const limit = e['limit'];
    return fromContract(payloadTooLarge(typeof limit === 'number' ? limit : undefined));
  }
  // Hono's HTTPException: a status and a prepared response.
  if (typeof e['getResponse'] === 'function' && validStatus(e['status']) !== undefined) {
    const status = validStatus(e['status'])!;
    return {
      status,
      code: String(status),
      description: typeof e['message'] === 'string' ? e['message'] : undefined,
      data: undefined,
      source: undefined,
      headers: responseHeaders(e['res']),
      expose: status < 500,
      known: status < 500,
    };
  }
  // http-errors and look-alikes: `status`/`statusCode`, `expose`, `headers`.
  const status = validStatus(e['status']) ?? validStatus(e['statusCode']);
  if (status !== undefined) {
    const expose = e['expose'] === true;
    return {
      status,
      code: String(status),
      description: typeof e['message'] === 'string' ? e['message'] : undefined,
      data: undefined,
      source: undefined,
      headers: isBag(e['headers']) ? e['headers'] : undefined,
      expose,
      known: status < 500,
    };
  }
  return unknownError();
}
