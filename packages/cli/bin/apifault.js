#!/usr/bin/env node
// The `apifault` command. This file is committed rather than built, so that npm links the
// command when it installs the package or the workspace (before anything is built); it runs
// the compiled command in ../dist.
import { existsSync } from 'node:fs';

const command = new URL('../dist/apifault.js', import.meta.url);
if (!existsSync(command)) {
  process.stderr.write(
    'apifault: not built yet. In a clone of the repository, run "npm start" (it builds, then starts the emulator) or "npm run build" first.\n',
  );
  process.exit(2);
}
await import(command.href);
