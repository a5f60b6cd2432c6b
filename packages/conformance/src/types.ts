/** The shapes of a conformance run: options, probe results, findings and the report. */

/** The name of one probe. Each can be selected with `probes` (CLI: `--only`). */
export type ProbeName =
  | 'unknown-path'
  | 'wrong-method'
  | 'not-acceptable'
  | 'no-credentials'
  | 'garbage-token'
  | 'malformed-json'
  | 'wrong-content-type'
  | 'stale-if-match'
  | 'burst';

/** Every probe, in the order they run. `burst` only runs when asked for. */
export const PROBE_NAMES: readonly ProbeName[] = Object.freeze([
  'unknown-path',
  'wrong-method',
  'not-acceptable',
  'no-credentials',
  'garbage-token',
  'malformed-json',
  'wrong-content-type',
  'stale-if-match',
  'burst',
]);

/** Whether `value` names a probe. */
export function isProbeName(value: string): value is ProbeName {
  return (PROBE_NAMES as readonly string[]).includes(value);
}

/** How bad a finding is: an `error` breaks the contract (exit 1), a `warning` does not. */
export type Severity = 'error' | 'warning';

/** A request as the report shows it (`Authorization` redacted). */
export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** A response as the report shows it (body bounded). */
export interface ReceivedResponse {
  /** The HTTP status, or 0 when no answer came. */
  status: number;
  /** Response headers, lower-case names. */
  headers: Record<string, string>;
  /** The body text, cut at 4096 characters (see `bodyTruncated`). */
  bodyText: string;
  /** Whether `bodyText` was cut. */
  bodyTruncated: boolean;
}

/** One way the target breaks (error) or strains (warning) the contract. */
export interface Finding {
  severity: Severity;
  /** The rule broken (`content-type`, `www-authenticate`, `expected-status` …). */
  rule: string;
  /** The probe that saw it. */
  probe: ProbeName;
  /** What the probe aimed at, `METHOD /path`. */
  target: string;
  /** A plain sentence saying what is wrong. */
  message: string;
  /** What was sent, in short. */
  sent: string;
  /** What came back, in short. */
  received: string;
  /** How to fix it. */
  fix: string;
}

/** One request a probe sent, its answer and what was wrong with it. */
export interface ProbeResult {
  name: ProbeName;
  /** `METHOD /path`. */
  target: string;
  /** The statuses this probe expects (any one of them passes). */
  expected: number[];
  request: SentRequest;
  response: ReceivedResponse;
  /** How long the answer took, in ms. */
  durationMs: number;
  findings: Finding[];
  /**
   * `fail` when an error finding was made, `inconclusive` when the answer could not be judged
   * (a 401 to the token given, a 404 on a placeholder id, a 429, a burst without 429), else `pass`.
   */
  outcome: 'pass' | 'fail' | 'inconclusive';
  /** Why the result is inconclusive, or a remark on a passing one. */
  note?: string;
}

/** A probe that did not run, and why. */
export interface SkippedProbe {
  name: ProbeName;
  reason: string;
}

/** What {@link checkConformance} returns. */
export interface Report {
  /** The base URL checked. */
  target: string;
  /** When the run started, ISO 8601. */
  startedAt: string;
  durationMs: number;
  probes: ProbeResult[];
  /** Every finding of every probe, errors first. */
  findings: Finding[];
  skipped: SkippedProbe[];
  summary: {
    errors: number;
    warnings: number;
    /** Requests probed (entries of `probes`). */
    probes: number;
    skipped: number;
    /** Probes whose answer could not be judged (`outcome: 'inconclusive'`). */
    inconclusive: number;
    /** Probes that sent the token given (or none) and were refused with 401 or 403. */
    refused: number;
    /**
     * Whether authentication stopped the run: the token given was refused with 401 (it is
     * expired or wrong), or, without a token, every probe that needs one was refused. What lies
     * behind authentication was then not checked, and `apifault check` exits 2.
     */
    refusedByAuthentication: boolean;
  };
}

/** A route the user lists: `'/v1/customers'`, `'GET,POST /v1/customers'`, or an object. */
export type PathSpec = string | { path: string; methods?: readonly string[] };

/** Bounds of the `burst` probe. */
export interface BurstOptions {
  /** The most requests sent. @default 200 */
  requests?: number;
  /** The longest the burst lasts, in ms. @default 10000 */
  durationMs?: number;
  /** Requests in flight at once. @default 8 */
  concurrency?: number;
}

/** Progress of a run, for a progress line. */
export interface ProgressEvent {
  /** Probes finished so far. */
  done: number;
  /** Probes planned. */
  total: number;
  probe: ProbeName;
  target: string;
}

/** The `fetch` the checker uses. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Options of {@link checkConformance}. */
export interface CheckOptions {
  /** The API root, with any base path (`http://127.0.0.1:3000`, `https://api.example.com/v1`). */
  baseUrl: string;
  /** A valid bearer token, sent as `Authorization: Bearer <token>` by every probe but the credential ones. */
  token?: string;
  /**
   * The OpenAPI 3.0/3.1 document (JSON) describing the routes: a URL, a file path or the
   * parsed document. When given, routes, methods, security and `If-Match` come from it.
   */
  openapi?: string | Record<string, unknown>;
  /** The routes to probe when there is no OpenAPI document. @default [] */
  paths?: readonly PathSpec[];
  /** The probes to run. @default every probe but `burst` (plus `burst` when `burst` is set) */
  probes?: readonly ProbeName[];
  /** Run the `burst` probe, with these bounds when an object. @default false */
  burst?: boolean | BurstOptions;
  /** The fetch used for every request. @default globalThis.fetch */
  fetch?: FetchLike;
  /** Per-request timeout, in ms. @default 10000 */
  timeoutMs?: number;
  /** Called after each probe. */
  onProgress?: (event: ProgressEvent) => void;
}
