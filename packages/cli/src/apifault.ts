#!/usr/bin/env node
/** The `apifault` command: `start` and `token` are the emulator's, `check` is the conformance checker's. */

const [command, ...rest] = process.argv.slice(2);
// Each command loads only its own package: `check` needs no SQLite.
const code =
  command === 'check'
    ? await (await import('@apifault/conformance')).checkCli(rest)
    : await (await import('@apifault/emulator')).emulatorCli(process.argv.slice(2));
if (code !== 0) process.exitCode = code;
