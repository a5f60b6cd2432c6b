/** The workspace's manifests: one command, `apifault`, linked from a committed file; every package declares what its code imports; one Node range everywhere. */

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

interface Manifest {
  name: string;
  private?: boolean;
  workspaces?: string[];
  bin?: Record<string, string>;
  files?: string[];
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

function manifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
}

const workspace = manifest(root);
const packages = (workspace.workspaces ?? []).map((path) => ({
  dir: join(root, path),
  manifest: manifest(join(root, path)),
}));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The package a bare specifier names: `@apifault/server/express` → `@apifault/server`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}

const BUILTINS = new Set(builtinModules);

describe('workspace manifests', () => {
  it('one command, apifault, from one package, linked from a committed file', () => {
    const commands = packages.flatMap(({ dir, manifest }) =>
      Object.entries(manifest.bin ?? {}).map(([name, target]) => ({ name, dir, target })),
    );
    assert.deepEqual(
      commands.map(({ name, dir }) => [name, relative(root, dir)]),
      [['apifault', join('packages', 'cli')]],
    );
    // npm links a bin when it installs, before any build: the file must be in the clone.
    const command = commands[0]!;
    const tracked = execFileSync('git', ['ls-files', '--error-unmatch', command.target], {
      cwd: command.dir,
      encoding: 'utf8',
    });
    assert.equal(tracked.trim(), join('bin', 'apifault.js'));
    assert.equal(manifest(command.dir).name, 'apifault');
    assert.notEqual(workspace.name, 'apifault', 'the workspace root does not take the name');
  });

  it('every package declares each package its code imports, by a literal name', () => {
    for (const { dir, manifest } of packages) {
      const declared = new Set([
        manifest.name,
        ...Object.keys(manifest.dependencies ?? {}),
        ...Object.keys(manifest.peerDependencies ?? {}),
      ]);
      for (const file of sources(join(dir, 'src'))) {
        const text = readFileSync(file, 'utf8');
        const where = relative(root, file);
        assert.doesNotMatch(
          text,
          /\bimport\(\s*[^'"\s]/,
          `${where}: import() of a computed name hides a dependency`,
        );
        const specifiers = [
          ...text.matchAll(/\bfrom\s+'([^']+)'/g),
          ...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g),
          ...text.matchAll(/^import\s+'([^']+)'/gm),
        ].map((match) => match[1] as string);
        for (const specifier of specifiers) {
          if (specifier.startsWith('.') || specifier.startsWith('node:')) continue;
          if (BUILTINS.has(specifier)) continue;
          assert.ok(
            declared.has(packageOf(specifier)),
            `${where} imports ${specifier}, which ${manifest.name} does not declare`,
          );
        }
      }
    }
  });

  it('every package ships its README and what its entry points and bin run', () => {
    for (const { manifest } of packages) {
      const files = new Set(manifest.files);
      for (const needed of ['dist', 'src', 'README.md'])
        assert.ok(files.has(needed), `${manifest.name}: files lacks ${needed}`);
      for (const target of Object.values(manifest.bin ?? {}))
        assert.ok(
          files.has(target.replace(/^\.\//, '').split('/')[0]!),
          `${manifest.name}: ${target}`,
        );
    }
  });

  it('one Node range, the root README names it', () => {
    const range = workspace.engines?.node;
    assert.ok(range);
    for (const { manifest } of packages) assert.equal(manifest.engines?.node, range, manifest.name);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    assert.match(readme, new RegExp(`Node ${range.replace(/[^\d]/g, '')} or later`));
  });
});
