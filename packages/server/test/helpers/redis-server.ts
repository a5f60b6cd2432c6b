/**
 * Starts a real redis-server on a free loopback port for one test file, and kills and
 * restarts it on the same port for the outage tests.
 */

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const REDIS_SERVER = process.env['REDIS_SERVER'] ?? 'redis-server';

/** Whether redis-server can be run here. */
export function redisServerInstalled(): boolean {
  const probe = spawnSync(REDIS_SERVER, ['--version'], { stdio: 'ignore' });
  return probe.error === undefined && probe.status === 0;
}

/**
 * Why the Redis tests must skip, or undefined when they must run: they skip only where
 * redis-server is missing and CI is not 'true' (under CI a missing server fails them).
 */
export function redisSkipReason(): string | undefined {
  if (process.env['CI'] === 'true') return undefined;
  return redisServerInstalled() ? undefined : 'redis-server not installed';
}

/** Asks the OS for a free loopback port: bind port 0, read it, release it. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Sends PING over a raw socket; resolves true on +PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/** A redis-server started by a test. */
export interface RedisServer {
  /** Its loopback port. */
  readonly port: number;
  /** `redis://127.0.0.1:port`. */
  readonly url: string;
  /** SIGKILLs the server (an outage) and waits for it to exit. */
  kill(): Promise<void>;
  /** Starts it again on the same port and waits for PING. */
  restart(): Promise<void>;
  /** Stops it for good. */
  stop(): Promise<void>;
}

async function launch(port: number): Promise<ChildProcess> {
  const child = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  let failed: Error | undefined;
  child.once('error', (error) => {
    failed = error;
  });
  // Bounded wait: 100 tries of 50 ms.
  for (let attempt = 0; attempt < 100; attempt++) {
    if (failed) throw failed;
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    if (await ping(port)) return child;
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not answer PING on port ${port}`);
}

async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

/** Starts redis-server on a free loopback port without persistence. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let child = await launch(port);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill: () => killChild(child),
    async restart() {
      await killChild(child);
      child = await launch(port);
    },
    stop: () => killChild(child),
  };
}
