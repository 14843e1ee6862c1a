#!/usr/bin/env node
// Runs the CLI as compiled JavaScript (see build-cli.js): no TypeScript loader at run time.
import { ensureCliBuild } from './build-cli.js';

await import(await ensureCliBuild());
