// `npm start`: builds the workspace, then runs the emulator's CLI with the arguments given.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const build = spawnSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-b'], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);

const cli = `${root}packages/emulator/dist/cli.js`;
if (!existsSync(cli)) {
  console.error('apifault: the emulator is not built yet.');
  process.exit(1);
}
// The CLI runs in this process rather than a child: a signal sent to `npm start` (SIGTERM
// from a supervisor, not only Ctrl-C to the whole group) then reaches the emulator's own
// handlers, which close it cleanly, instead of leaving an orphan on the port.
process.argv = [process.argv[0], cli, 'start', ...process.argv.slice(2)];
await import(pathToFileURL(cli).href);
