/**
 * The emulator's front door: what stands where Partner Center's front door does, before the
 * server's own checks. Every response gets `MS-CV` and `MS-ServerId` (the server's
 * `responseHeaders` option); the stages give every request a log line and an HTTP/1.1
 * request without `Host` a contract 400; on Partner Center paths only, maintenance answers
 * 503, `X-Apifault-Force-Status` forces a status, and fault rules delay, fail, hang or drop
 * the request; on the control plane, its gate checks Host, Origin and the control token.
 */

import { randomInt, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Context, Exchange, HeadersRecord, Stage } from '@apifault/server';
import { type FaultEngine, forcedStatus, injectedError, playFault } from '@apifault/server/faults';
import { type ControlPlaneOptions, controlPlane } from './control-plane.js';
import { invalidInput } from './errors.js';
import { type LineSink, type LogLevel, logRequest } from './log.js';
import type { Maintenance } from './maintenance.js';
import { isPartnerCenterPath } from './routes.js';

/** The exchange `createApp` runs its stages on: also the Context its routes receive. */
type ExchangeContext = Exchange & Context;

const SERVER_ID = String(randomInt(100_000_000, 999_999_999));
const CV_INCOMING = /^[A-Za-z0-9+/]{1,64}(?:\.[0-9]{1,10}){0,8}$/;

/**
 * The `MS-CV` of a response: the caller's vector extended, or a new one (16 base64 chars +
 * `.0`, from 12 bytes of a random UUID). randomUUID draws on the random data Node keeps for
 * UUIDs; randomBytes(12) cost a call into OpenSSL on every request (4 % of a GET by id).
 */
function correlationVector(headers: HeadersRecord): string {
  const incoming = headers['ms-cv'];
  if (typeof incoming === 'string' && CV_INCOMING.test(incoming)) return `${incoming}.0`;
  return `${Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64', 0, 12)}.0`;
}

/**
 * The server's `responseHeaders` option: `MS-CV` and `MS-ServerId` on every response, the
 * answers Node's parser refuses on the raw socket included.
 */
export function responseHeaders(requestHeaders: HeadersRecord): Record<string, string> {
  return { 'MS-CV': correlationVector(requestHeaders), 'MS-ServerId': SERVER_ID };
}

/** What the front door acts on. */
export interface FrontDoorParts {
  /** The fault rules in force. */
  readonly faults: FaultEngine;
  /** The maintenance switch. */
  readonly maintenance: Maintenance;
  /** Where requests left hanging by a fault are kept, so close() can end them. */
  readonly hung: Set<Exchange>;
  /** The realm of an injected 401's challenge. */
  readonly realm: string;
  /** Where request log lines go; `false`: nowhere. */
  readonly sink: LineSink | false;
  /** Which exchanges the request log prints. */
  readonly logLevel: LogLevel;
  /** The control plane's gate: its token and host names. */
  readonly control: ControlPlaneOptions;
}

/** The front door's stages, in the order they run, for `createApp`'s `stages` option. */
export function frontDoor({
  faults,
  maintenance,
  hung,
  realm,
  sink,
  logLevel,
  control,
}: FrontDoorParts): Stage[] {
  const stages: Stage<ExchangeContext>[] = [];
  if (sink !== false && logLevel !== 'silent') {
    stages.push({
      name: 'request-log',
      before: 'availability',
      run(ex) {
        logRequest(sink, logLevel, ex);
      },
    });
  }
  stages.push(
    {
      // HTTP/1.1 requires Host (RFC 9112 §3.2). start.ts leaves the check to this stage so the
      // answer is a contract 400 rather than Node's bare one.
      name: 'host-required',
      before: 'availability',
      run(ex) {
        if (ex.headers.host === undefined && ex.req.httpVersion === '1.1') {
          throw invalidInput('an HTTP/1.1 request must carry a Host header.');
        }
      },
    },
    {
      // Partner Center paths only: the control route must still switch maintenance off.
      name: 'maintenance',
      after: 'availability',
      run(ex) {
        if (isPartnerCenterPath(ex.path)) maintenance.check();
      },
    },
    {
      name: 'forced-status',
      after: 'availability',
      run(ex) {
        if (!isPartnerCenterPath(ex.path)) return;
        const forced = forcedStatus(ex.headers);
        if (forced !== undefined) {
          throw injectedError(forced, `X-Apifault-Force-Status: ${forced}`, realm);
        }
      },
    },
    {
      name: 'faults',
      after: 'availability',
      run(ex) {
        if (!isPartnerCenterPath(ex.path)) return undefined;
        const rule = faults.match(ex.method, ex.path);
        if (rule === undefined) return undefined;
        if (rule.delayMs > 0) {
          return sleep(rule.delayMs).then(() => playFault(rule, ex, hung, realm));
        }
        return playFault(rule, ex, hung, realm);
      },
    },
    // Before auth: the control routes skip the partner's bearer auth, not this gate.
    controlPlane(control),
  );
  // Stage<ExchangeContext> is accepted as a Stage: createApp runs stages on its contexts.
  return stages;
}
