#!/usr/bin/env node
import { runCli } from './run-cli.js';

// The bin entry: run the command, flush, and exit with its code (0 pass, 1 fail, 2 error, 3 inconclusive).
const code = await runCli(process.argv.slice(2));
process.exitCode = code;
