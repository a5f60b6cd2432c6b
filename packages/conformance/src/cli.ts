#!/usr/bin/env node
/** The `apifault-check` executable. */

import { checkCli } from './cli-main.js';

process.exitCode = await checkCli(process.argv.slice(2));
