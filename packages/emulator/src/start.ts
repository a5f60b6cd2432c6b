/** Starts the emulator on node:http and hands back its URL, a token minter and close(). */

import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { installClientErrorHandler } from '@apifault/server';
import { createEmulator, type Emulator } from './app.js';
import { generateControlToken, isLoopbackHost } from './control-plane.js';
import { SOURCE_FRONT_DOOR } from './errors.js';
import { responseHeaders } from './front-door.js';
import type { StartOptions } from './options.js';
import { SEED_PARTNER } from './store/seed.js';

/** A running emulator. */
export interface RunningEmulator {
  /** The base URL, e.g. `http://127.0.0.1:8080` (`https://` with `tls`). */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** The node:http server, or the node:https one with `tls`. */
  readonly server: Server | HttpsServer;
  /** The emulator (store, faults, maintenance switch). */
  readonly emulator: Emulator;
  /**
   * The token `/_emulator/*` requires (`Authorization: Bearer <token>`): the one given, or
   * one generated because the emulator listens on a non-loopback address; undefined when
   * the control plane needs none.
   */
  readonly controlToken: string | undefined;
  /** A bearer token for a partner tenant. @default partner the seeded partner */
  token(partner?: string, roles?: readonly string[]): Promise<string>;
  /** Stops listening, ends open connections and closes the database. */
  close(): Promise<void>;
}

/**
 * Builds and starts the emulator.
 *
 * @example
 * const emu = await startEmulator({ memory: true, port: 0, log: false });
 * const res = await fetch(`${emu.url}/v1/customers`, { headers: { authorization: `Bearer ${await emu.token()}` } });
 * await emu.close();
 */
export async function startEmulator(options: StartOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  // Reachable from other machines: the control plane, which mints tokens, needs a token too.
  const controlToken =
    options.controlToken ?? (isLoopbackHost(host) ? undefined : generateControlToken());
  const emulator = await createEmulator({
    ...options,
    ...(controlToken === undefined ? {} : { controlToken }),
    controlHosts: [...(options.controlHosts ?? []), host],
  });
  // Node answers a request without Host with a bare 400; the emulator answers it itself.
  const server = options.tls
    ? createHttpsServer(
        { requireHostHeader: false, cert: options.tls.cert, key: options.tls.key },
        emulator.handler,
      )
    : createServer({ requireHostHeader: false }, emulator.handler);
  // Node's own refusals (a malformed or slow request) carry the same headers as every answer.
  installClientErrorHandler(server, { source: SOURCE_FRONT_DOOR, responseHeaders });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 8080, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await emulator.close();
    throw error;
  }
  const { port, address } = server.address() as AddressInfo;
  const urlHost = address.includes(':') ? `[${address}]` : address;
  let closed: Promise<void> | undefined;
  return {
    url: `${options.tls ? 'https' : 'http'}://${urlHost}:${port}`,
    port,
    server,
    emulator,
    controlToken,
    token: (partner = SEED_PARTNER, roles) => {
      emulator.store.partners.ensure(partner);
      return emulator.tokens.mint({ partner, ...(roles ? { roles } : {}) });
    },
    close() {
      closed ??= (async () => {
        const done = new Promise<void>((resolve) => server.close(() => resolve()));
        emulator.endStreams();
        server.closeAllConnections();
        await emulator.close();
        await done;
      })();
      return closed;
    },
  };
}
