/** A test fixture server (test/fixtures/*.ts) in a process of its own, as a second instance of a service. */

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const packageRoot = fileURLToPath(new URL('../..', import.meta.url));

/** A fixture server process that is listening. */
export interface FixtureProcess {
  /** The URL the fixture printed. */
  readonly url: string;
  /** Ends the process: its stdin closes (the fixture exits on that), SIGKILL after 3 s. */
  stop(): Promise<void>;
}

/**
 * Spawns `test/fixtures/<name>.ts` with `env` added and resolves once it prints its first
 * line, `{"url": …}` (bounded: 15 s).
 */
export async function spawnFixture(
  name: string,
  env: Record<string, string>,
): Promise<FixtureProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', `test/fixtures/${name}.ts`],
    { cwd: packageRoot, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.stdin?.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start`)), 15_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n')[0];
      if (output.includes('\n') && line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { url: string }).url);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}`));
    });
  });
  return { url, stop };
}
