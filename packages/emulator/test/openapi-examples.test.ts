/**
 * /openapi.json gives the emulator's own answers as examples, on every route that answers a
 * body (and the request body sent, where a route takes one), so a mock generated from it
 * answers as the emulator does; and the committed examples (src/openapi-examples.ts) still have
 * the shape of a freshly seeded emulator's answers.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ROUTES, type RunningEmulator, startEmulator } from '@apifault/emulator';
import { OPENAPI_EXAMPLES } from '../src/openapi-examples.js';
import {
  EXAMPLE_CLOCK,
  EXAMPLE_LINES,
  recordExamples,
  shapeOf,
} from './helpers/openapi-examples.js';

interface Operation {
  requestBody?: { content: { 'application/json': { example?: unknown } } };
  responses: Record<string, { content?: { 'application/json': { example?: unknown } } }>;
}

let emu: RunningEmulator;
before(async () => {
  emu = await startEmulator({
    memory: true,
    port: 0,
    log: false,
    now: () => EXAMPLE_CLOCK,
    faultSeed: 1,
    provisioningDelayMs: 0,
    billing: { linesPerSubscription: EXAMPLE_LINES },
  });
});
after(() => emu.close());

describe("the OpenAPI document's examples", () => {
  it('every route answering a body has its example, and every route taking one its request', async () => {
    const doc = (await (await fetch(`${emu.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    for (const route of ROUTES) {
      if (route.success === 204 || route.name === 'openapi') continue;
      const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
      const operation = doc.paths[path]?.[route.method.toLowerCase()];
      assert.ok(operation, `${route.method} ${path}`);
      const example = OPENAPI_EXAMPLES[route.name];
      assert.ok(example, `${route.name} has a recorded answer`);
      assert.deepEqual(
        operation.responses[route.success]?.content?.['application/json'].example,
        example.response,
        route.name,
      );
      if (example.request !== undefined) {
        assert.deepEqual(
          operation.requestBody?.content['application/json'].example,
          example.request,
          route.name,
        );
      }
    }
  });

  it("are a freshly seeded emulator's answers: the same routes, each answer of the same shape (regenerate with scripts/openapi-examples.ts)", async () => {
    const live = await recordExamples(emu.url, await emu.token());
    assert.deepEqual(Object.keys(OPENAPI_EXAMPLES).sort(), Object.keys(live).sort());
    for (const [name, example] of Object.entries(live)) {
      const committed = OPENAPI_EXAMPLES[name as keyof typeof OPENAPI_EXAMPLES];
      assert.deepEqual(shapeOf(committed?.response), shapeOf(example.response), name);
      assert.deepEqual(committed?.request, example.request, name);
    }
  });
});
