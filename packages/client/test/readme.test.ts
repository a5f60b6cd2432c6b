import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

test('the README example runs as written and prints what it says', async () => {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const code = /```js\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(code, 'the README has a js example');
  const { stdout } = await run(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', '--input-type=module', '--eval', code],
    { cwd: fileURLToPath(new URL('..', import.meta.url)), timeout: 20_000 },
  );
  assert.match(
    stdout.trim(),
    /^404 3000: Customer c1 was not found\. \(request [0-9a-f-]{36}\) NotFound$/,
  );
});
