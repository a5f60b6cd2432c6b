/** ErrorParts: what the renderer needs from an error, whatever threw it; one constructor builds them. */

const BRAND = Symbol.for('apifault.errorParts');

/** What the renderer needs from an error, whatever threw it. */
export interface ErrorParts {
  readonly status: number;
  readonly code: string;
  /** The description the thrower gave, if any (shown only when `expose`). */
  readonly description: string | undefined;
  readonly data: readonly unknown[] | undefined;
  readonly source: string | undefined;
  readonly headers: Readonly<Record<string, unknown>> | undefined;
  /** Whether `description` and `data` may be shown. */
  readonly expose: boolean;
  /** Whether the thrower knew what it was doing: false means an unexpected error, always logged. */
  readonly known: boolean;
}

/** What {@link errorParts} takes: a status, and whatever else is known. */
export interface ErrorPartsInit {
  /** 400–599; anything else is an unexpected 500. */
  status: number;
  /** @default the status, as a string */
  code?: string | number | undefined;
  description?: string | undefined;
  data?: readonly unknown[] | undefined;
  source?: string | undefined;
  headers?: Readonly<Record<string, unknown>> | undefined;
  /** @default true for a 4xx, false for a 5xx */
  expose?: boolean | undefined;
  /** @default true */
  known?: boolean | undefined;
}

/** `value` when it is an error status (an integer from 400 to 599), else `undefined`. */
export function errorStatus(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 599
    ? value
    : undefined;
}

/**
 * Builds error parts: the one place their defaults live. Parts may be passed to the
 * pipeline's `fail` or thrown by a stage; the renderer takes them as they are, so a hot
 * refusal (a route miss) allocates no `Error`.
 *
 * @example errorParts({ status: 405, headers: { Allow: 'GET, HEAD' } })
 */
export function errorParts(init: ErrorPartsInit): ErrorParts {
  const status = errorStatus(init.status);
  const code = init.code;
  const parts = {
    status: status ?? 500,
    code:
      typeof code === 'string' || typeof code === 'number' ? String(code) : String(status ?? 500),
    description: typeof init.description === 'string' ? init.description : undefined,
    data: Array.isArray(init.data) ? init.data : undefined,
    source: typeof init.source === 'string' ? init.source : undefined,
    headers: typeof init.headers === 'object' && init.headers !== null ? init.headers : undefined,
    expose: typeof init.expose === 'boolean' ? init.expose : (status ?? 500) < 500,
    known: status !== undefined && init.known !== false,
  };
  Object.defineProperty(parts, BRAND, { value: true });
  return parts;
}

/** Whether `value` was built by {@link errorParts}. */
export function isErrorParts(value: unknown): value is ErrorParts {
  return typeof value === 'object' && value !== null && BRAND in value;
}

/** The parts of an error nobody recognised: a 500 whose cause is logged, never shown. */
export const UNEXPECTED: ErrorParts = Object.freeze(errorParts({ status: 500, known: false }));
