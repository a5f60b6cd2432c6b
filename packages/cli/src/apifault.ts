#!/usr/bin/env node
/** The `apifault` command: `start` and `token` are the emulator's, `check` is the conformance checker's, `proxy` the proxy's. */

const [command, ...rest] = process.argv.slice(2);
// npm runs a command (npm start, npx apifault) as a child it does not stop when it is stopped
// itself: a SIGTERM to npm (a supervisor's, `kill %1`) leaves the emulator an orphan holding the
// port. So under npm, being orphaned (the parent changes) stops the emulator as a SIGTERM does,
// within a fifth of a second.
if (command === 'start' && process.env['npm_lifecycle_event'] !== undefined) {
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    process.kill(process.pid, 'SIGTERM');
  }, 200);
  watch.unref();
}
// Each command loads only its own package: `check` and `proxy` need no SQLite.
const code =
  command === 'check'
    ? await (await import('@apifault/conformance')).checkCli(rest)
    : command === 'proxy'
      ? await (await import('@apifault/proxy')).proxyCli(rest)
      : await (await import('@apifault/emulator')).emulatorCli(process.argv.slice(2));
if (code !== 0) process.exitCode = code;
