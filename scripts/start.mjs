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
// The CLI runs in this process rather than a child, so a signal sent to this process reaches
// the emulator's own handlers, which close it cleanly. But npm runs the script through
// `sh -c`: a SIGTERM to npm (from a supervisor) goes to that shell, which dies and leaves this
// process an orphan holding the port. So under npm, being orphaned (the parent changes) stops
// the emulator the same way, within a fifth of a second.
if (process.env.npm_lifecycle_event !== undefined) {
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    process.kill(process.pid, 'SIGTERM');
  }, 200);
  watch.unref();
}
process.argv = [process.argv[0], cli, 'start', ...process.argv.slice(2)];
await import(pathToFileURL(cli).href);
