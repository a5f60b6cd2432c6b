/** Streams that keep what the CLI writes, terminal or not. */

import type { CliIo } from '@apifault/conformance';

/** A stream capturing writes, reporting `isTTY` as asked. */
export function captureStream(isTTY = false) {
  const chunks: string[] = [];
  return {
    isTTY,
    write(text: string) {
      chunks.push(text);
      return true;
    },
    get text() {
      return chunks.join('');
    },
  };
}

/** Captured stdout/stderr and an environment for `checkCli`. */
export function captureIo(options: { tty?: boolean; env?: Record<string, string> } = {}) {
  const stdout = captureStream(options.tty ?? false);
  const stderr = captureStream(options.tty ?? false);
  const io: CliIo = { stdout, stderr, env: options.env ?? {} };
  return { io, stdout, stderr };
}
