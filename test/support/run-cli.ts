import { vi } from 'vitest';
import { runProgram } from '../../src/cli/program.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a vfio-fsm command line in this process through the real program
 * (src/cli/program.ts, the one the installed command runs), with output captured instead
 * of printed. Running in-process keeps the tests on the TypeScript sources
 * rather than on a build that may be stale. An internal error fails the
 * test that met it, whatever exit code it expected.
 */
export async function runCli(args: readonly string[]): Promise<CliRun> {
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
  let code: number;
  try {
    code = await runProgram('0.0.0-test', ['node', 'vfio-fsm', ...args]);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  if (stderr.includes('internal error')) throw new Error(`vfio-fsm ${args.join(' ')}: ${stderr}`);
  // Colour depends on the terminal the tests run in; assertions read plain text.
  return { code, stdout: stripAnsi(stdout), stderr: stripAnsi(stderr) };
}

function stripAnsi(s: string): string {
  return s.replace(/\u001b\[[0-9;]*m/g, '');
}
