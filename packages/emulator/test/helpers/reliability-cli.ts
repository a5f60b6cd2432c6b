/**
 * Runs the real `apifault start` command in a child process (from source, through tsx) and
 * reads its banner for the URL and the ready token, for the crash and load suites.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../../cli/src/apifault.ts', import.meta.url));

/** An emulator process started by a test. */
export interface CliEmulator {
  readonly child: ChildProcess;
  /** `http://127.0.0.1:port`. */
  readonly url: string;
  /** The bearer token the banner printed (seeded partner). */
  readonly token: string;
  /** SIGKILLs the process and waits for it to be gone. */
  kill(): Promise<void>;
}

/**
 * Starts `apifault start --port 0 --quiet <args>` and resolves once its banner named the URL
 * and the token (bounded: 20 s).
 */
export async function startCli(args: readonly string[]): Promise<CliEmulator> {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', CLI, 'start', '--port', '0', '--quiet', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, 'exit');
  const banner = new Promise<{ url: string; token: string }>((resolve, reject) => {
    let url: string | undefined;
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      url ??= /https?:\/\/127\.0\.0\.1:\d+/.exec(line)?.[0];
      const token = /^\s*(eyJ[\w-]+\.[\w-]+\.[\w-]+)\s*$/.exec(line)?.[1];
      if (url && token) resolve({ url, token });
    });
    exited.then(([code]) => reject(new Error(`apifault start exited (${code}): ${stderr}`)));
    setTimeout(() => reject(new Error(`no banner within 20 s: ${stderr}`)), 20_000).unref();
  });
  let ready: { url: string; token: string };
  try {
    ready = await banner;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    child,
    ...ready,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
