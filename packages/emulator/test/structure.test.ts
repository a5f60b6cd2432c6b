/**
 * The emulator is an ordinary application of the toolkit: its sources import only package
 * entry points, node builtins, its listed dependencies and its own files; none of the
 * bypasses it once had around the server's pipeline is back; tokens/ needs nothing from
 * resources/.
 */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../src', import.meta.url));
const PACKAGE = JSON.parse(
  readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8'),
) as { dependencies: Record<string, string> };

/** The names of the second code paths and caches the emulator had beside the pipeline. */
const BYPASSES = [
  'knownPrincipal',
  'ErrorAnswer',
  'failWith',
  'EmulatorResponse',
  'respondLater',
  'JsonText',
  'cvPool',
  'flushStdout',
  'StoredCustomer',
  'WeakMap',
];

/** Every `.ts` file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The module specifiers a source imports or re-exports, static or dynamic with a literal. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\s[^;]*?\sfrom\s+['"]([^'"]+)['"]/gm,
    /^\s*import\s+['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of source.matchAll(pattern)) found.push(match[1] as string);
  }
  return found;
}

const ENTRY_POINTS = new Set([
  '@apifault/server',
  '@apifault/server/faults',
  '@apifault/contract',
  '@apifault/dashboard',
]);
const DEPENDENCIES = new Set(
  Object.keys(PACKAGE.dependencies).filter((name) => !name.startsWith('@apifault/')),
);

/** Why `specifier`, imported by `file`, is not allowed; undefined when it is. */
function refusedImport(file: string, specifier: string): string | undefined {
  if (specifier.startsWith('.')) {
    const target = resolve(dirname(file), specifier);
    return target.startsWith(SRC + sep) ? undefined : 'a relative import outside src/';
  }
  if (specifier.startsWith('node:')) {
    return builtinModules.includes(specifier.slice(5)) ? undefined : 'an unknown node builtin';
  }
  if (ENTRY_POINTS.has(specifier) || DEPENDENCIES.has(specifier)) return undefined;
  return 'neither a package entry point nor a listed dependency';
}

/** Where a file imports from resources/: the import of tokens/ on resources/ the layout forbids. */
function resourcesImports(file: string, source: string): string[] {
  return specifiers(source).filter(
    (specifier) =>
      specifier.startsWith('.') &&
      resolve(dirname(file), specifier).startsWith(join(SRC, 'resources') + sep),
  );
}

describe('emulator structure', () => {
  const files = sources(SRC);

  it('sees the sources, and its detectors flag what they look for', () => {
    assert.ok(files.length > 30, `found ${files.length} files under src/`);
    const sample = join(SRC, 'tokens', 'sample.ts');
    assert.deepEqual(
      specifiers(
        "import { a } from '@apifault/server/src/x.js';\nexport { b } from './b.js';\nimport 'node:fs';\nconst m = await import('jose');",
      ),
      ['@apifault/server/src/x.js', './b.js', 'node:fs', 'jose'],
    );
    assert.ok(refusedImport(sample, '@apifault/server/src/pipeline/index.js'));
    assert.ok(refusedImport(sample, '@apifault/client'));
    assert.ok(refusedImport(sample, '../../../server/src/index.js'));
    assert.ok(refusedImport(sample, 'express'));
    assert.equal(refusedImport(sample, '@apifault/server'), undefined);
    assert.equal(refusedImport(sample, 'better-sqlite3'), undefined);
    assert.equal(refusedImport(sample, 'node:crypto'), undefined);
    assert.equal(refusedImport(sample, '../store/customers.js'), undefined);
    assert.deepEqual(resourcesImports(sample, "import { x } from '../resources/request.js';"), [
      '../resources/request.js',
    ]);
  });

  it('imports only package entry points, node builtins, listed dependencies and its own files', () => {
    const refused: string[] = [];
    for (const file of files) {
      for (const specifier of specifiers(readFileSync(file, 'utf8'))) {
        const why = refusedImport(file, specifier);
        if (why) refused.push(`${relative(SRC, file)}: ${specifier} (${why})`);
      }
    }
    assert.deepEqual(refused, []);
  });

  it('keeps none of the bypasses of the server pipeline', () => {
    const found: string[] = [];
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      for (const name of BYPASSES) {
        if (new RegExp(`\\b${name}\\b`).test(source)) found.push(`${relative(SRC, file)}: ${name}`);
      }
      // Module-level mutable state (a batching buffer, a pool, a cache) is a `let` at the top.
      for (const [i, line] of source.split('\n').entries()) {
        if (/^(?:export\s+)?let\s/.test(line))
          found.push(`${relative(SRC, file)}:${i + 1}: ${line}`);
      }
    }
    // The store reads customers from SQLite on every request: it keeps none in a Map.
    for (const file of sources(join(SRC, 'store'))) {
      if (/new Map\b/.test(readFileSync(file, 'utf8'))) {
        found.push(`${relative(SRC, file)}: a Map in the store`);
      }
    }
    assert.deepEqual(found, []);
  });

  it('tokens/ imports nothing from resources/', () => {
    const found = sources(join(SRC, 'tokens')).flatMap((file) =>
      resourcesImports(file, readFileSync(file, 'utf8')).map(
        (specifier) => `${relative(SRC, file)}: ${specifier}`,
      ),
    );
    assert.deepEqual(found, []);
  });
});
