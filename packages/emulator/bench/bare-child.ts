/**
 * Bench child: a bare node:http server answering canned responses (status, headers, body
 * bytes captured from the emulator) by path; prints `ready <url>`.
 */

import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Canned {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const file = process.argv[2];
if (!file) throw new Error('usage: bare-child.ts <canned.json>');
const canned = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Canned>;
const server = createServer((req, res) => {
  const answer = canned[req.url ?? ''];
  if (!answer) {
    res.writeHead(500).end();
    return;
  }
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`ready http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
