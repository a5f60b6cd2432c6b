/** Every package exports what its README documents and nothing else: each name of each entry point, types included, is imported here and found in the README's API. */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGES = ['contract', 'server', 'client', 'dashboard', 'emulator', 'conformance', 'proxy'];

interface Entry {
  /** `@apifault/server/express` */
  specifier: string;
  /** The entry's TypeScript source. */
  source: string;
}

function entriesOf(pkg: string): Entry[] {
  const manifest = JSON.parse(
    readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8'),
  ) as {
    name: string;
    exports: Record<string, { source?: string } | string>;
  };
  return Object.entries(manifest.exports).flatMap(([subpath, target]) => {
    if (typeof target === 'string' || target.source === undefined) return [];
    return [
      {
        specifier: subpath === '.' ? manifest.name : `${manifest.name}${subpath.slice(1)}`,
        source: join(root, 'packages', pkg, target.source),
      },
    ];
  });
}

/** Every name an entry exports, values and types, as the compiler sees it. */
function exportedNames(sources: string[]): Map<string, { names: string[]; values: Set<string> }> {
  const program = ts.createProgram(sources, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    customConditions: ['source'],
  });
  const checker = program.getTypeChecker();
  const out = new Map<string, { names: string[]; values: Set<string> }>();
  for (const source of sources) {
    const file = program.getSourceFile(source);
    assert.ok(file, `${source} is part of the program`);
    const symbol = checker.getSymbolAtLocation(file);
    assert.ok(symbol, `${source} is a module`);
    const names: string[] = [];
    const values = new Set<string>();
    for (const exported of checker.getExportsOfModule(symbol)) {
      names.push(exported.name);
      const target =
        exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (target.flags & ts.SymbolFlags.Value) values.add(exported.name);
    }
    out.set(source, { names, values });
  }
  return out;
}

/**
 * The README's `## API` section (to the next `## `), or the whole README when it has none,
 * without its fenced code blocks (whose backticks are no code spans).
 */
function apiSection(readme: string): string {
  const start = readme.indexOf('\n## API');
  const end = start === -1 ? -1 : readme.indexOf('\n## ', start + 1);
  const section = start === -1 ? readme : readme.slice(start, end === -1 ? undefined : end);
  return section.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
}

/** Names the section shows called, `name(…)` at the start of a code span: each must be exported. */
function calledNames(section: string): Set<string> {
  const names = new Set<string>();
  for (const span of section.matchAll(/(^|[^.\w])`([A-Za-z_$][\w$]*)\(/g)) names.add(span[2]!);
  return names;
}

/** Backticked names of the section: `name`, `name(…)`, `name<…>`, in code spans only. */
function documentedNames(section: string): Set<string> {
  const names = new Set<string>();
  for (const span of section.matchAll(/`([^`]+)`/g)) {
    const match = /^([A-Za-z_$][\w$]*)(?:\(|<|$)/.exec(span[1]!.trim());
    if (match) names.add(match[1]!);
  }
  return names;
}

for (const pkg of PACKAGES) {
  describe(`@apifault/${pkg}: the public API is the documented one`, () => {
    const entries = entriesOf(pkg);
    const readme = readFileSync(join(root, 'packages', pkg, 'README.md'), 'utf8');
    const documented = documentedNames(apiSection(readme));
    const exported = exportedNames(entries.map((entry) => entry.source));

    test('every function the README shows called is exported', () => {
      const all = new Set([...exported.values()].flatMap((e) => e.names));
      const contract = exportedNames([join(root, 'packages/contract/src/index.ts')]);
      for (const e of contract.values()) for (const name of e.names) all.add(name);
      const unknown = [...calledNames(apiSection(readme))].filter((name) => !all.has(name));
      assert.deepEqual(unknown, [], 'shown in the README, exported by no entry');
    });

    for (const entry of entries) {
      test(`${entry.specifier}: every export is in the README's API, and imports`, async () => {
        const { names, values } = exported.get(entry.source)!;
        const missing = names.filter((name) => name !== 'default' && !documented.has(name));
        assert.deepEqual(missing, [], `exported by ${entry.specifier}, not documented`);
        const module = (await import(pathToFileURL(entry.source).href)) as Record<string, unknown>;
        for (const name of values) {
          assert.notEqual(
            module[name],
            undefined,
            `${entry.specifier} exports ${name} at run time`,
          );
        }
      });
    }
  });
}
