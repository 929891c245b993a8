#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { runProgram } from './program.js';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

process.exitCode = await runProgram(pkg.version, process.argv);
