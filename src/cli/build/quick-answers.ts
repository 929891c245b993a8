import { buildProgram, runProgram } from '../program.js';
import type { LaunchData } from '../launch-data.js';

/**
 * The command lines the launcher answers without the program: `--help`,
 * `--version`, and each command's help, each with what the program prints
 * for it to a pipe (commander wraps help to a terminal's width only). Each is
 * run here, through the program itself, so the launcher's answer is the
 * program's to the byte; one that writes to stderr or exits non-zero is
 * left to the program.
 */
export async function quickAnswers(version: string): Promise<Pick<LaunchData, 'quick' | 'texts'>> {
  const commands = buildProgram(version).commands.map((c) => c.name());
  const lines = [['--help'], ['-h'], ['help'], ['--version'], ['-V'], ...commands.flatMap((c) => [[c, '--help'], [c, '-h'], ['help', c]])];
  const texts: string[] = [];
  const quick: Record<string, number> = {};
  for (const args of lines) {
    const run = await captured(version, args);
    if (run.code !== 0 || run.stderr !== '' || run.stdout === '') continue;
    let index = texts.indexOf(run.stdout);
    if (index < 0) index = texts.push(run.stdout) - 1;
    quick[args.join('\0')] = index;
  }
  return { quick, texts };
}

/** The program run in this process, its output captured, as if written to a pipe. */
async function captured(version: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { stdout, stderr } = process;
  const saved = { out: stdout.write, err: stderr.write, tty: Object.getOwnPropertyDescriptor(stdout, 'isTTY') };
  let out = '';
  let err = '';
  stdout.write = ((chunk: string | Uint8Array) => ((out += String(chunk)), true)) as typeof stdout.write;
  stderr.write = ((chunk: string | Uint8Array) => ((err += String(chunk)), true)) as typeof stderr.write;
  Object.defineProperty(stdout, 'isTTY', { value: false, configurable: true, writable: true });
  try {
    const code = await runProgram(version, ['node', 'vfio-fsm', ...args]);
    return { code, stdout: out, stderr: err };
  } finally {
    stdout.write = saved.out;
    stderr.write = saved.err;
    if (saved.tty) Object.defineProperty(stdout, 'isTTY', saved.tty);
    else delete (stdout as { isTTY?: boolean }).isTTY;
  }
}
