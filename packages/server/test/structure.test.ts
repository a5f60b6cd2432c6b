/** The shape the pipeline issue asks for: a core that knows no framework, adapters that only translate. */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../src/', import.meta.url));

function sources(folder: string): string[] {
  return readdirSync(join(src, folder))
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(src, folder, name));
}

test('the core (render/, pipeline/) names no framework or library', () => {
  const FRAMEWORK = /fastify|express|hono|boom|body-parser|http-errors|FST_/i;
  for (const file of [...sources('render'), ...sources('pipeline')]) {
    const text = readFileSync(file, 'utf8');
    const hit = FRAMEWORK.exec(text);
    assert.equal(hit, null, `${file} mentions ${hit?.[0]}`);
  }
});

test('each adapter file is a thin translation: at most a couple of hundred lines', () => {
  for (const file of sources('adapters')) {
    const lines = readFileSync(file, 'utf8').split('\n').length;
    assert.ok(lines <= 210, `${file}: ${lines} lines`);
  }
});

test('the adapters run the pipeline rather than ordering stages themselves', () => {
  for (const file of sources('adapters')) {
    const text = readFileSync(file, 'utf8');
    for (const stage of ['acceptsJson(', 'checkAuth(', 'authenticate(', 'isStandardMethod(']) {
      assert.ok(!text.includes(stage), `${file} calls ${stage} itself`);
    }
  }
});
