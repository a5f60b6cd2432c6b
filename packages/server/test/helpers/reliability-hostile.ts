/**
 * Hostile clients on raw sockets: headers or a body dribbled a byte at a time, piles of idle
 * connections, and an oversized body streamed with backpressure until the server hangs up.
 */

import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseResponse, type RawExchange } from './reliability-raw.js';

/** A socket whose received bytes are collected until it closes. */
interface Collector {
  socket: net.Socket;
  /** Resolves when the server closed the connection (or after `waitMs`: `closed: false`). */
  result(waitMs: number, head?: boolean): Promise<RawExchange>;
  /** Whether the socket is closed. */
  readonly isClosed: () => boolean;
}

function collect(port: number): Promise<Collector> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let closed = false;
    const waiters: (() => void)[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      closed = true;
      for (const wake of waiters.splice(0)) wake();
    });
    socket.once('connect', () =>
      resolve({
        socket,
        isClosed: () => closed,
        async result(waitMs, head = false) {
          if (!closed) {
            await new Promise<void>((wake) => {
              const timer = setTimeout(wake, waitMs);
              waiters.push(() => {
                clearTimeout(timer);
                wake();
              });
            });
          }
          const bytes = Buffer.concat(chunks);
          socket.destroy();
          return { bytes, closed, ...parseResponse(bytes, head, closed) };
        },
      }),
    );
    socket.once('error', reject);
  });
}

/** Writes `text` a byte at a time every `intervalMs` until the socket closes or `maxBytes` went out. */
async function dribble(
  c: Collector,
  text: string,
  intervalMs: number,
  maxBytes: number,
): Promise<number> {
  let sent = 0;
  for (const byte of Buffer.from(text, 'latin1')) {
    if (c.isClosed() || sent >= maxBytes) break;
    c.socket.write(Buffer.of(byte));
    sent++;
    await sleep(intervalMs);
  }
  return sent;
}

/**
 * Sends a request line and then its headers one byte every `intervalMs`, never finishing
 * them; resolves with what the server answered by the time it closed (or `waitMs`).
 */
export async function slowHeaders(
  port: number,
  options: { intervalMs?: number; waitMs?: number } = {},
): Promise<RawExchange & { sent: number }> {
  const c = await collect(port);
  c.socket.write('GET /v1/customers/c-1 HTTP/1.1\r\nHost: 127.0.0.1\r\n');
  const trickle = dribble(c, `X-Slow: ${'s'.repeat(10_000)}`, options.intervalMs ?? 50, 10_000);
  const result = await c.result(options.waitMs ?? 8000);
  const sent = await trickle;
  return { ...result, sent };
}

/**
 * Sends complete headers announcing `length` bytes of JSON to `target`, then the body one
 * byte every `intervalMs`; resolves with what the server answered by the time it closed.
 */
export async function slowBody(
  port: number,
  target: string,
  options: { length?: number; intervalMs?: number; waitMs?: number; headers?: string } = {},
): Promise<RawExchange & { sent: number }> {
  const length = options.length ?? 1000;
  const c = await collect(port);
  c.socket.write(
    `POST ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
      `${options.headers ?? ''}Content-Length: ${length}\r\n\r\n`,
  );
  const body = `{"name":"${'n'.repeat(Math.max(0, length - 11))}"}`;
  const trickle = dribble(c, body, options.intervalMs ?? 50, length);
  const result = await c.result(options.waitMs ?? 8000);
  const sent = await trickle;
  return { ...result, sent };
}

/** Opens `count` connections that send nothing (or half a request line); close them after. */
export async function idleConnections(
  port: number,
  count: number,
): Promise<{ sockets: net.Socket[]; open: () => number; close: () => void }> {
  const sockets: net.Socket[] = [];
  // In batches, so the listen backlog is never the thing being tested.
  for (let i = 0; i < count; i += 100) {
    const batch = Array.from({ length: Math.min(100, count - i) }, (_, j) => {
      return new Promise<net.Socket>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1');
        socket.on('error', () => {});
        socket.once('connect', () => {
          if ((i + j) % 2 === 1) socket.write('GET /v1/cust');
          resolve(socket);
        });
        socket.once('error', reject);
      });
    });
    sockets.push(...(await Promise.all(batch)));
  }
  return {
    sockets,
    open: () => sockets.filter((s) => !s.destroyed && s.readyState === 'open').length,
    close: () => {
      for (const s of sockets) s.destroy();
    },
  };
}

/** What {@link oversizedBody} saw. */
export interface Oversized extends RawExchange {
  /** Body bytes the client managed to write before the server hung up. */
  written: number;
  /** Body bytes the client meant to send. */
  total: number;
}

/**
 * Streams `total` bytes of body to `target` in `chunk`-sized writes with backpressure
 * (chunked, or with a declared Content-Length), stopping as soon as the server closes.
 */
export async function oversizedBody(
  port: number,
  target: string,
  options: { total: number; chunk?: number; chunked: boolean; headers?: string; waitMs?: number },
): Promise<Oversized> {
  const chunkSize = options.chunk ?? 64 * 1024;
  const c = await collect(port);
  const framing = options.chunked
    ? 'Transfer-Encoding: chunked\r\n'
    : `Content-Length: ${options.total}\r\n`;
  c.socket.write(
    `POST ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
      `${options.headers ?? ''}${framing}\r\n`,
  );
  const piece = Buffer.alloc(chunkSize, 0x20);
  piece[0] = 0x5b; // '[': the start of a JSON array that never ends
  let written = 0;
  const deadline = Date.now() + (options.waitMs ?? 10_000);
  while (written < options.total && !c.isClosed() && Date.now() < deadline) {
    const frame = options.chunked
      ? Buffer.concat([Buffer.from(`${chunkSize.toString(16)}\r\n`), piece, Buffer.from('\r\n')])
      : piece;
    const flushed = c.socket.write(frame);
    written += chunkSize;
    if (!flushed) {
      // Wait for the buffer to drain, or for the server to hang up.
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearInterval(poll);
          c.socket.off('drain', done);
          resolve();
        };
        const poll = setInterval(() => {
          if (c.isClosed() || Date.now() >= deadline) done();
        }, 20);
        c.socket.once('drain', done);
      });
    }
  }
  const result = await c.result(Math.max(0, deadline - Date.now()));
  return { ...result, written, total: options.total };
}
