// Every session the README shows (```console blocks: `$ npx vfio-fsm ...`,
// its output, `$ echo $?` and the exit code) is run here through the real
// program, and what it prints must be what the README says, line for line.
// A line `...` in the README stands for any run of lines. After a
// deliberate change, rewrite the README's outputs with
// VFIO_FSM_UPDATE_README=1 and read the diff before committing.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

const README = 'README.md';
const UPDATE = process.env['VFIO_FSM_UPDATE_README'] === '1';
const PROMPT = '$ npx vfio-fsm ';

interface Session {
  /** Line index in the README of the `$ npx vfio-fsm` line. */
  readonly line: number;
  readonly args: string[];
  /** The output lines shown, up to the next prompt. */
  readonly output: string[];
  /** The exit code shown by a following `$ echo $?`, if any. */
  readonly exit: number | null;
  /** How many README lines the output and the echo take after the prompt line. */
  readonly span: number;
}

function sessions(lines: readonly string[]): Session[] {
  const out: Session[] = [];
  let inConsole = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('```')) {
      inConsole = !inConsole && line === '```console';
      continue;
    }
    if (!inConsole || !line.startsWith(PROMPT)) continue;
    const output: string[] = [];
    let j = i + 1;
    while (j < lines.length && !lines[j]!.startsWith('$ ') && !lines[j]!.startsWith('```')) output.push(lines[j++]!);
    let exit: number | null = null;
    if (lines[j] === '$ echo $?') {
      exit = Number(lines[j + 1]);
      j += 2;
    }
    out.push({ line: i, args: line.slice(PROMPT.length).trim().split(/\s+/), output, exit, span: j - i - 1 });
  }
  return out;
}

/** Does `actual` match `expected`, where an expected line `...` matches any run of lines? */
function matches(expected: readonly string[], actual: readonly string[]): boolean {
  const go = (e: number, a: number): boolean => {
    if (e === expected.length) return a === actual.length;
    if (expected[e] === '...') {
      for (let k = a; k <= actual.length; k++) if (go(e + 1, k)) return true;
      return false;
    }
    return a < actual.length && expected[e] === actual[a] && go(e + 1, a + 1);
  };
  return go(0, 0);
}

const scratch = mkdtempSync(join(tmpdir(), 'vfio-fsm-readme-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs a session; an `--out` under /tmp is redirected into a scratch folder and shown under its README name. */
async function run(s: Session): Promise<{ lines: string[]; code: number }> {
  const args = [...s.args];
  const out = args.indexOf('--out');
  const shown = out >= 0 ? args[out + 1] : undefined;
  let real: string | undefined;
  if (shown?.startsWith('/tmp/')) {
    real = mkdtempSync(join(scratch, 'out-'));
    args[out + 1] = real;
  }
  const r = await runCli(args);
  let text = `${r.stderr}${r.stdout}`;
  if (real && shown) text = text.split(real).join(shown);
  return { lines: text.replace(/\n$/, '').split('\n'), code: r.code };
}

const text = readFileSync(README, 'utf8');
const lines = text.split('\n');
const found = sessions(lines);

describe('the README shows real sessions', () => {
  it('has sessions to check', () => {
    expect(found.length).toBeGreaterThan(10);
  });

  if (UPDATE) {
    it('rewrites the outputs', async () => {
      const updated = [...lines];
      for (const s of [...found].reverse()) {
        const r = await run(s);
        const replacement = [...(matches(s.output, r.lines) ? s.output : r.lines), ...(s.exit === null ? [] : ['$ echo $?', String(r.code)])];
        updated.splice(s.line + 1, s.span, ...replacement);
      }
      writeFileSync(README, updated.join('\n'));
    });
    return;
  }

  for (const s of found) {
    it(`line ${s.line + 1}: vfio-fsm ${s.args.join(' ')}`, async () => {
      const r = await run(s);
      if (!matches(s.output, r.lines)) expect(r.lines.join('\n')).toBe(s.output.join('\n'));
      if (s.exit !== null) expect(r.code).toBe(s.exit);
    });
  }
});
