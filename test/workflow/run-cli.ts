import { Command, CommanderError } from 'commander';
import { vi } from 'vitest';
import { registerArcs } from '../../src/cli/commands/arcs.js';
import { registerCheck } from '../../src/cli/commands/check.js';
import { registerDiff } from '../../src/cli/commands/diff.js';
import { registerExplain } from '../../src/cli/commands/explain.js';
import { UsageError } from '../../src/cli/flag-option.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs vfio-fsm commands in this process, registered exactly as
 * src/cli/main.ts registers them, with the same mapping of errors to exit
 * codes; output is captured instead of printed. Running in-process keeps the
 * tests on the TypeScript sources rather than on a build that may be stale.
 */
export async function runCli(args: readonly string[], extra: readonly ((program: Command) => void)[] = []): Promise<CliRun> {
  const program = new Command('vfio-fsm').exitOverride();
  program.configureOutput({ writeOut: (s) => void process.stdout.write(s), writeErr: (s) => void process.stderr.write(s) });
  for (const register of [registerCheck, registerExplain, registerDiff, registerArcs, ...extra]) register(program);
  for (const command of program.commands) command.exitOverride();
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const saved = process.exitCode;
  process.exitCode = undefined;
  let code: number;
  try {
    await program.parseAsync(['node', 'vfio-fsm', ...args]);
    code = Number(process.exitCode ?? 0);
  } catch (e) {
    if (e instanceof CommanderError) code = e.exitCode === 0 ? 0 : 2;
    else if (e instanceof UsageError) {
      stderr += `vfio-fsm: ${e.message}\n`;
      code = 2;
    } else throw e;
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = saved;
  }
  // Colour depends on the terminal the tests run in; assertions read plain text.
  return { code, stdout: stripAnsi(stdout), stderr: stripAnsi(stderr) };
}

function stripAnsi(s: string): string {
  return s.replace(/\u001b\[[0-9;]*m/g, '');
}
