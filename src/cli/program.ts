import { Command, CommanderError } from 'commander';
import { registerArcs } from './commands/arcs.js';
import { registerCheck } from './commands/check.js';
import { registerDiff } from './commands/diff.js';
import { registerDriver } from './commands/driver.js';
import { registerExplain } from './commands/explain.js';
import { registerGen } from './commands/gen.js';
import { registerHistory } from './commands/history.js';
import { registerKernel } from './commands/kernel.js';
import { registerParse } from './commands/parse.js';
import { registerSpecs } from './commands/specs.js';
import { NO_CACHE_ENV } from './cache/place.js';
import { EXIT } from './console.js';
import { UsageError } from './usage-error.js';

const NO_CACHE_HELP = `neither read nor write the cache ($XDG_CACHE_HOME/vfio-fsm or ~/.cache/vfio-fsm); so does ${NO_CACHE_ENV}=1`;

/**
 * The whole command line, built once: the installed command runs it on
 * process.argv (bin.ts, through bundle-entry.ts) and the tests run this
 * very program in-process, so what they exercise is what a user gets.
 * Commands report through process.stdout/stderr and set process.exitCode;
 * errors that escape a command end in exitCodeFor().
 */
export function buildProgram(version: string): Command {
  const program = new Command('vfio-fsm')
    .description('model checker and code generator for the Linux VFIO device-migration state machine')
    .version(version)
    .showHelpAfterError()
    .exitOverride();
  program.option('--no-cache', NO_CACHE_HELP);
  for (const register of [registerParse, registerCheck, registerKernel, registerDriver, registerHistory, registerGen, registerExplain, registerDiff, registerArcs, registerSpecs]) register(program);
  // --no-cache is read by the launcher before the program runs (see cache/place.ts); declared here so that the program and each command accept it and list it.
  for (const command of program.commands) command.exitOverride().option('--no-cache', NO_CACHE_HELP);
  return program;
}

/**
 * No stack trace ever reaches a user: usage mistakes and internal faults
 * alike end as one line on `writeErr` and exit 2.
 */
export function exitCodeFor(e: unknown, writeErr: (text: string) => void): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.unreadable;
  const message = e instanceof Error ? e.message : String(e);
  writeErr(e instanceof UsageError ? `vfio-fsm: ${message}\n` : `vfio-fsm: internal error: ${message}\n`);
  return EXIT.unreadable;
}

/** Runs one command line (`argv` as process.argv gives it) and returns its exit code. */
export async function runProgram(version: string, argv: readonly string[]): Promise<number> {
  const saved = process.exitCode;
  process.exitCode = undefined;
  try {
    await buildProgram(version).parseAsync([...argv]);
    return Number(process.exitCode ?? EXIT.ok);
  } catch (e) {
    return exitCodeFor(e, (text) => void process.stderr.write(text));
  } finally {
    process.exitCode = saved;
  }
}
