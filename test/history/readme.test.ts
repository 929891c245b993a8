// The README's "Sweeping a kernel tree" section shows sessions of
// `vfio-fsm history` on the fixture repository. That repository is built
// at test time (`npm run history:demo -- /tmp/vfio-history` builds the same
// one, commit ids included), so the sessions are ```text blocks rather than
// the ```console ones test/readme/samples.test.ts runs: this test runs each
// on a fresh build of it, under the name /tmp/vfio-history, and the README
// must show what it prints. VFIO_FSM_UPDATE_README=1 rewrites the outputs.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { buildFixtureRepo, gitIn, hasGit } from '../support/history-repo.js';

const README = 'README.md';
const UPDATE = process.env['VFIO_FSM_UPDATE_README'] === '1';
const SHOWN = '/tmp/vfio-history';
const PROMPT = '$ npx vfio-fsm history ';

interface Session {
  readonly line: number;
  readonly command: string;
  readonly output: string[];
  readonly exit: number | null;
  readonly span: number;
}

/** The sessions of ```text blocks in the section, as samples.test.ts reads ```console ones. */
function sessions(lines: readonly string[]): Session[] {
  const start = lines.findIndex((l) => l.startsWith('## Sweeping a kernel tree'));
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  const out: Session[] = [];
  let inText = false;
  for (let i = start; i < (end < 0 ? lines.length : end); i++) {
    const line = lines[i]!;
    if (line.startsWith('```')) {
      inText = !inText && line === '```text';
      continue;
    }
    if (!inText || !line.startsWith(PROMPT)) continue;
    const output: string[] = [];
    let j = i + 1;
    while (j < lines.length && !lines[j]!.startsWith('$ ') && !lines[j]!.startsWith('```')) output.push(lines[j++]!);
    let exit: number | null = null;
    if (lines[j] === '$ echo $?') {
      exit = Number(lines[j + 1]);
      j += 2;
    }
    out.push({ line: i, command: line.slice('$ npx vfio-fsm '.length), output, exit, span: j - i - 1 });
  }
  return out;
}

/** Splits a shown command line into arguments: words, and '...' quoted as a shell would. */
function words(command: string): string[] {
  return [...command.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

describe.skipIf(!hasGit())('the README shows real sessions of vfio-fsm history', () => {
  let scratch: string;
  const text = readFileSync(README, 'utf8');
  const lines = text.split('\n');
  const found = sessions(lines);

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'vfio-fsm-history-readme-'));
    buildFixtureRepo(join(scratch, 'vfio-history'));
    gitIn(scratch, ['clone', '-q', '--depth', '3', `file://${join(scratch, 'vfio-history')}`, join(scratch, 'vfio-history-shallow')]);
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  async function run(s: Session): Promise<{ lines: string[]; code: number }> {
    const args = words(s.command).map((a) => (a.startsWith(SHOWN) ? join(scratch, a.slice('/tmp/'.length)) : a));
    const r = await runCli(args);
    const out = `${r.stderr}${r.stdout}`.split(join(scratch, 'vfio-history')).join(SHOWN);
    return { lines: out.replace(/\n$/, '').split('\n'), code: r.code };
  }

  it('has sessions to check', () => {
    expect(found.length).toBeGreaterThanOrEqual(3);
  });

  if (UPDATE) {
    it('rewrites the outputs', async () => {
      const updated = [...lines];
      for (const s of [...found].reverse()) {
        const r = await run(s);
        updated.splice(s.line + 1, s.span, ...r.lines, ...(s.exit === null ? [] : ['$ echo $?', String(r.code)]));
      }
      writeFileSync(README, updated.join('\n'));
    });
    return;
  }

  for (const s of found) {
    it(`line ${s.line + 1}: vfio-fsm ${s.command}`, async () => {
      const r = await run(s);
      expect(r.lines.join('\n')).toBe(s.output.join('\n'));
      if (s.exit !== null) expect(r.code).toBe(s.exit);
    });
  }
});
