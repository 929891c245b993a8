#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerArcs } from './commands/arcs.js';
import { registerCheck } from './commands/check.js';
import { registerKernel } from './commands/kernel.js';
import { registerGen } from './commands/gen.js';
import { registerDiff } from './commands/diff.js';
import { registerExplain } from './commands/explain.js';
import { registerParse } from './commands/parse.js';
import { EXIT } from './console.js';
import { UsageError } from './flag-option.js';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('vfio-fsm')
  .description('model checker and code generator for the Linux VFIO device-migration state machine')
  .version(pkg.version)
  .showHelpAfterError()
  .exitOverride();
registerParse(program);
registerCheck(program);
registerKernel(program);
registerGen(program);
registerExplain(program);
registerDiff(program);
registerArcs(program);
for (const command of program.commands) command.exitOverride();

try {
  await program.parseAsync(process.argv);
} catch (e) {
  process.exitCode = exitCodeFor(e);
}

/** No stack trace ever reaches a user: usage mistakes and internal faults alike end as one line. */
function exitCodeFor(e: unknown): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.unreadable;
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(e instanceof UsageError ? `vfio-fsm: ${message}\n` : `vfio-fsm: internal error: ${message}\n`);
  return EXIT.unreadable;
}
