/** The same three apps with apifault's adapters installed: the checker finds nothing wrong. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkConformance } from '@apifault/conformance';
import {
  startExpressWithApifault,
  startFastifyWithApifault,
  startHonoWithApifault,
} from './helpers/adapter-apps.js';
import { TOKEN } from './helpers/customers.js';
import type { RunningApp } from './helpers/default-apps.js';

const openapi = fileURLToPath(new URL('./fixtures/customers-openapi.json', import.meta.url));

const apps: [string, () => Promise<RunningApp>][] = [
  ['Express 5 + @apifault/server/express', startExpressWithApifault],
  ['Fastify 5 + @apifault/server/fastify', startFastifyWithApifault],
  ['Hono 4 + @apifault/server/hono', startHonoWithApifault],
];

describe('apps with apifault adapters', () => {
  for (const [name, start] of apps) {
    it(`${name}: every probe gets its status and no finding is made`, async () => {
      const app = await start();
      try {
        const report = await checkConformance({ baseUrl: app.baseUrl, token: TOKEN, openapi });
        assert.deepEqual(report.findings, []);
        assert.deepEqual(report.skipped, []);
        assert.deepEqual(
          report.probes.map((p) => [p.name, p.response.status, p.outcome]),
          [
            ['unknown-path', 404, 'pass'],
            ['wrong-method', 405, 'pass'],
            ['wrong-method', 405, 'pass'],
            ['not-acceptable', 406, 'pass'],
            ['no-credentials', 401, 'pass'],
            ['garbage-token', 401, 'pass'],
            ['malformed-json', 400, 'pass'],
            ['wrong-content-type', 400, 'pass'],
            ['stale-if-match', 412, 'pass'],
          ],
        );
        // The 405s list what the routes really accept.
        const allows = report.probes
          .filter((p) => p.name === 'wrong-method')
          .map((p) =>
            p.response.headers['allow']
              ?.split(/\s*,\s*/)
              .sort()
              .join(','),
          );
        assert.deepEqual(allows, ['GET,HEAD,POST', 'GET,HEAD,PATCH']);
      } finally {
        await app.close();
      }
    });
  }
});
