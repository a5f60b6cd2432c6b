/** /openapi.json: OpenAPI 3.1, every route, error responses pointing at the contract's schema. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorBodySchema } from '@apifault/contract';
import { ROUTES, startEmulator } from '@apifault/emulator';

describe('/openapi.json', () => {
  it('describes every route with its success and error responses', async () => {
    const emu = await startEmulator({ memory: true, port: 0, log: false });
    try {
      const doc = (await (await fetch(`${emu.url}/openapi.json`)).json()) as {
        openapi: string;
        paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
        components: { schemas: { ErrorBody: { required: string[] } } };
      };
      assert.equal(doc.openapi, '3.1.0');
      assert.deepEqual(doc.components.schemas.ErrorBody.required, errorBodySchema.required);
      for (const route of ROUTES) {
        const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
        const operation = doc.paths[path]?.[route.method.toLowerCase()];
        assert.ok(operation, `${route.method} ${path}`);
        assert.ok(operation.responses[String(route.success)]);
        for (const status of route.errors)
          assert.ok(operation.responses[String(status)], `${path} ${status}`);
      }
      assert.ok(doc.paths['/v1/auditrecords']?.get?.responses['501']);
    } finally {
      await emu.close();
    }
  });
});
