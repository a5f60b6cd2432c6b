/**
 * `apifault start --replay file.har`: a recorded HAR served as canned answers, so a run against
 * a real service (through `apifault proxy --record`) becomes an offline fixture. Each request is
 * answered with the next recorded answer to the same method and target (the last one repeats);
 * anything unrecorded gets a contract 404.
 */

import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { notFound } from '@apifault/contract';
import { sendError } from '@apifault/server';
import { SOURCE_FRONT_DOOR } from './errors.js';

/** One recorded answer. */
interface CannedAnswer {
  status: number;
  headers: [string, string][];
  body: Buffer;
}

/** What a HAR entry must have to be served. */
interface HarEntryLike {
  request?: { method?: unknown; url?: unknown };
  response?: {
    status?: unknown;
    headers?: { name?: unknown; value?: unknown }[];
    content?: { text?: unknown; encoding?: unknown };
  };
}

/** Headers that describe one connection or the recorded transfer, set again when served. */
const NOT_REPLAYED = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'te',
  'trailer',
  'upgrade',
]);

/** The answers of a HAR file, by `METHOD /path?query`. */
export class ReplayLog {
  readonly #answers = new Map<string, { answers: CannedAnswer[]; next: number }>();

  /** Reads a HAR document; throws a plain Error naming the first malformed entry. */
  constructor(har: unknown) {
    const entries = (har as { log?: { entries?: unknown } } | null)?.log?.entries;
    if (!Array.isArray(entries)) throw new Error('not a HAR file: no log.entries');
    entries.forEach((raw: HarEntryLike, index) => {
      const method = raw.request?.method;
      const url = raw.request?.url;
      const status = raw.response?.status;
      if (typeof method !== 'string' || typeof url !== 'string' || typeof status !== 'number') {
        throw new Error(
          `log.entries[${index}]: needs request.method, request.url and response.status`,
        );
      }
      const target = new URL(url);
      const headers: [string, string][] = [];
      for (const header of raw.response?.headers ?? []) {
        if (typeof header.name !== 'string' || typeof header.value !== 'string') continue;
        const name = header.name.toLowerCase();
        // A redacted secret (a Set-Cookie) is not an answer anyone can use.
        if (NOT_REPLAYED.has(name) || header.value.includes('[redacted]')) continue;
        headers.push([name, header.value]);
      }
      const text = raw.response?.content?.text;
      const body =
        typeof text !== 'string'
          ? Buffer.alloc(0)
          : Buffer.from(text, raw.response?.content?.encoding === 'base64' ? 'base64' : 'utf8');
      const key = `${method.toUpperCase()} ${target.pathname}${target.search}`;
      const slot = this.#answers.get(key) ?? { answers: [], next: 0 };
      slot.answers.push({ status, headers, body });
      this.#answers.set(key, slot);
    });
  }

  /** How many distinct requests are recorded. */
  get size(): number {
    return this.#answers.size;
  }

  /** The next answer to `method target`, or undefined when none is recorded. */
  next(method: string, target: string): CannedAnswer | undefined {
    const slot = this.#answers.get(`${method} ${target}`);
    if (slot === undefined) return undefined;
    const answer = slot.answers[Math.min(slot.next, slot.answers.length - 1)];
    slot.next++;
    return answer;
  }
}

/** Options of {@link startReplay}. */
export interface ReplayOptions {
  /** The HAR file to serve. */
  file: string;
  /** @default 8080 */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
}

/** A replay server that is listening. */
export interface RunningReplay {
  readonly url: string;
  /** How many distinct requests it can answer. */
  readonly recorded: number;
  close(): Promise<void>;
}

/** Serves the HAR file `options.file` on `options.host:options.port`. */
export async function startReplay(options: ReplayOptions): Promise<RunningReplay> {
  const log = new ReplayLog(JSON.parse(readFileSync(options.file, 'utf8')) as unknown);
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const method = req.method ?? 'GET';
    const target = req.url ?? '/';
    const answer = log.next(method, target);
    if (answer === undefined) {
      sendError(
        req,
        res,
        notFound({
          description: `No answer to ${method} ${target.split('?')[0]} is recorded in the replayed HAR file.`,
          expose: true,
          source: SOURCE_FRONT_DOOR,
        }),
      );
      return;
    }
    // Drain the request body: the recorded answer does not depend on it.
    req.resume();
    res.sendDate = false;
    res.writeHead(answer.status, [
      ...answer.headers.flat(),
      'content-length',
      String(answer.body.length),
    ]);
    res.end(method === 'HEAD' ? undefined : answer.body);
  };
  const server: Server = createServer(handle);
  const host = options.host ?? '127.0.0.1';
  server.listen(options.port ?? 8080, host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    recorded: log.size,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
