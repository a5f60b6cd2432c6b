/** How a Node connection closes after an early answer: shared by every adapter on node:http. */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { declaresBody } from '../body/node.js';

/** How long a closing connection waits for its client to take the answer. */
const GRACE_MS = 2000;

/**
 * Gives the close that follows an early answer (a 413 while the client is still sending) a
 * grace period. Node closes the socket as soon as the answer is written, and closing with
 * unread bytes sends a reset, which makes the client's kernel drop the answer before the
 * client has read it. Instead the socket sends its end at once and reads nothing more (the
 * client's writes stall), and is closed when the client closes or after 2 s.
 */
export function lingerOnClose(req: IncomingMessage): void {
  if (req.complete) return;
  // Node resumes an unread request to discard it before closing: stop reading instead.
  req.socket.destroySoon = () => closeConnection(req);
}

/** The most of an unread body drained after an answer before the connection is closed instead. */
const DRAIN_BYTES = 64 * 1024;

/** Closes a connection now: its end at once, the rest of the request unread, then the socket. */
function closeConnection(req: IncomingMessage): void {
  const socket = req.socket;
  if (socket.destroyed) return;
  req.pause();
  socket.pause();
  // Discarding the request, Node resumes the socket a tick or two later, which restarts its
  // reads (Node 24 then reads all the client sends): stop them again once those ticks ran.
  setImmediate(() => socket.pause());
  socket.end();
  const timer = setTimeout(() => socket.destroy(), GRACE_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

/**
 * Holds a request's body to the body timeout whether or not the route read it. Once the
 * answer is written, a body still arriving is drained only if it is small (a declared
 * length of at most 64 KiB) and only until the body timeout, counted from the request's
 * start; otherwise the connection is closed: Node would read an unconsumed body to its end
 * to keep the connection, however large or slow.
 */
export function guardBody(req: IncomingMessage, res: ServerResponse, timeoutMs: number): void {
  if (!declaresBody(req.headers)) return;
  const length = req.headers['content-length'];
  const started = Date.now();
  res.once('finish', () => {
    if (req.complete || req.socket.destroyed) return;
    if (length === undefined || !(Number(length) <= DRAIN_BYTES)) {
      closeConnection(req);
      return;
    }
    const timer = setTimeout(
      () => {
        if (!req.complete) closeConnection(req);
      },
      Math.max(0, started + timeoutMs - Date.now()),
    );
    timer.unref();
    req.once('end', () => clearTimeout(timer));
    req.socket.once('close', () => clearTimeout(timer));
  });
}
