// `npm start`: builds the workspace, then runs `apifault start` with the arguments given.
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const build = spawnSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-b'], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);

// The command npm links for the `apifault` package (packages/cli), the one users run.
const cli = `${root}packages/cli/bin/apifault.js`;
// The command runs in this process rather than a child, so a signal sent to this process
// reaches the emulator's own handlers, which close it cleanly; and a SIGTERM to npm, which npm's
// `sh -c` does not pass on, stops it too: under npm, `apifault start` stops when orphaned.
process.argv = [process.argv[0], cli, 'start', ...process.argv.slice(2)];
await import(pathToFileURL(cli).href);
