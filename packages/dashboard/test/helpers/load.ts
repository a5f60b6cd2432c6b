/**
 * Heavy traffic through a host with a page streaming: what the stream said of it. Shared by
 * the emulator's and the proxy's tests of the listing budget.
 */

import { Agent, request } from 'node:http';

/** What a page saw of `total` requests. */
export interface StreamedLoad {
  /** `exchange` events: the exchanges listed. */
  listed: number;
  /** The sum of the `stats` events' `unlisted`: counted, not listed. */
  unlisted: number;
  /** The sum of the `stats` events' counts: every exchange. */
  counted: number;
}

interface Stats {
  counts: Record<string, number>;
  unlisted: number;
}

/** Sends `total` GETs to `target`, 32 at a time, on keep-alive connections. */
async function load(target: string, total: number, headers: Record<string, string>) {
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  let sent = 0;
  const one = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = request(target, { agent, headers }, (res) => {
        res.resume();
        res.once('end', resolve);
      });
      req.once('error', reject);
      req.end();
    });
  const worker = async (): Promise<void> => {
    while (sent < total) {
      sent++;
      await one();
    }
  };
  try {
    await Promise.all(Array.from({ length: 32 }, worker));
  } finally {
    agent.destroy();
  }
}

/**
 * Opens `${host}/_emulator/events`, sends `total` GETs to `target`, and reads the stream
 * until its per-second counts add up to `total` (bounded: 30 s).
 */
export async function streamUnderLoad(
  host: string,
  target: string,
  total: number,
  headers: Record<string, string> = {},
): Promise<StreamedLoad> {
  const res = await fetch(`${host}/_emulator/events`, { headers: { accept: 'text/event-stream' } });
  if (res.status !== 200) throw new Error(`the stream answered ${res.status}`);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const seen: StreamedLoad = { listed: 0, unlisted: 0, counted: 0 };
  let text = '';
  const deadline = setTimeout(() => void reader.cancel(), 30_000);
  try {
    await load(target, total, headers);
    while (seen.counted < total) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended having counted ${seen.counted} of ${total}`);
      text += decoder.decode(value, { stream: true });
      let end = text.indexOf('\n\n');
      while (end !== -1) {
        const event = text.slice(0, end);
        text = text.slice(end + 2);
        end = text.indexOf('\n\n');
        if (event.startsWith('event: exchange')) {
          seen.listed++;
        } else if (event.startsWith('event: stats')) {
          const stats = JSON.parse(event.slice(event.indexOf('data: ') + 6)) as Stats;
          seen.unlisted += stats.unlisted;
          seen.counted += Object.values(stats.counts).reduce((sum, count) => sum + count, 0);
        }
      }
    }
    return seen;
  } finally {
    clearTimeout(deadline);
    await reader.cancel().catch(() => undefined);
  }
}
