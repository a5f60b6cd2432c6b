/**
 * Bench child: reads the dashboard's event stream at `<url>/_emulator/events` as a page would,
 * in a process of its own, so its reading costs neither the emulator nor the load generator.
 * Prints `open` once the stream answers; on SIGTERM prints `read <bytes>` and exits.
 */

const url = process.argv[2];
if (url === undefined) throw new Error('usage: stream-reader-child.ts <emulator url>');
let bytes = 0;
process.once('SIGTERM', () => {
  process.stdout.write(`read ${bytes}\n`, () => process.exit(0));
});
const res = await fetch(`${url}/_emulator/events`, { headers: { accept: 'text/event-stream' } });
if (res.status !== 200) throw new Error(`the stream answered ${res.status}`);
process.stdout.write('open\n');
const reader = (res.body as ReadableStream<Uint8Array>).getReader();
for (;;) {
  const { value, done } = await reader.read();
  if (done) break;
  bytes += value.length;
}
