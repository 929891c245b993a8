// `vfio-fsm history` on git repositories built from test/fixtures/history/
// (as its README says): the release table, the runs, the commits that
// introduced and fixed each finding, the unreadable commit, a shallow
// clone, repositories without the file or the function, and the errors.
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatFile, GitError } from '../../src/cli/git.js';
import { runCli } from '../support/run-cli.js';
import { buildFixtureRepo, gitIn, hasGit, readSteps } from '../support/history-repo.js';

const { steps, expected } = readSteps();

interface Row {
  id: string;
  commit: string;
  tag: string | null;
  tags: string[];
  path: string | null;
  line: number | null;
  change: string;
  matches: string[];
  verdict: string;
  reasons: string[];
  findings: string[];
  diagnostics: { file: string; line: number; column: number; code: string; message: string }[];
}
interface Edge {
  id: string;
  exact: boolean;
  note: string | null;
  skipped: string[];
}
interface History {
  ok: boolean;
  verdict: string;
  shallow: boolean;
  notes: string[];
  stats: { points: number; kept: number; blobsRead: number; judged: number };
  base: Row | null;
  commits: Row[];
  runs: { from: string; to: string; count: number; verdict: string; matches: string[] }[];
  findings: { finding: string; kind: string; subjects: string[]; introduced: Edge; fixed: Edge | null; present: string[]; unknown: string[] }[];
}

const TERMINATION = ['STOP_COPY -> PRE_COPY with {STOP_COPY, PRE_COPY}', 'STOP_COPY -> PRE_COPY with {STOP_COPY, P2P, PRE_COPY}', 'STOP_COPY -> PRE_COPY_P2P with {STOP_COPY, P2P, PRE_COPY}'];

describe.skipIf(!hasGit())('vfio-fsm history', () => {
  let scratch: string;
  let repo: string;
  let ids: Map<string, string>;
  /** Step folder name by commit id (full or 12 digits). */
  const stepOf = (id: string): string => [...ids].find(([, c]) => c.startsWith(id))?.[0] ?? `?${id}`;
  const idOf = (step: string): string => ids.get(step)!.slice(0, 12);

  async function history(...args: string[]): Promise<{ code: number; json: History; stderr: string }> {
    const r = await runCli(['history', ...args, '--json']);
    return { code: r.code, json: JSON.parse(r.stdout) as History, stderr: r.stderr };
  }

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'vfio-fsm-history-'));
    repo = join(scratch, 'full');
    ids = buildFixtureRepo(repo);
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('builds the repository the fixture README describes: the rename is seen as one', () => {
    const log = gitIn(repo, ['log', '-M', '--name-status', '--format=%s']);
    expect(log).toMatch(/R100\tdrivers\/vfio\/vfio\.c\tdrivers\/vfio\/vfio_main\.c/);
    expect(gitIn(repo, ['tag', '--list']).split('\n').filter(Boolean).sort()).toEqual(['v5.18', 'v6.0', 'v6.2', 'v7.1', 'v7.2']);
  });

  describe("--tags 'v*': the release table", () => {
    it('has one row per tag, in version order, with the file, the era and the verdict the fixture expects', async () => {
      const { code, json } = await history(repo, '--tags', 'v*');
      expect(json.commits.map((r) => ({ tag: r.tag, step: stepOf(r.commit), path: r.path, line: r.line, era: r.matches.join(', '), verdict: r.verdict }))).toEqual(expected.releases);
      // The newest tag, v7.2, agrees.
      expect(code).toBe(0);
      expect(json).toMatchObject({ ok: true, verdict: 'agree' });
    });

    it('reads the file at v5.18 and v6.0 once: the rename keeps the blob', async () => {
      const { json } = await history(repo, '--tags', 'v*');
      expect(json.stats).toEqual({ points: 5, kept: 5, blobsRead: 4, judged: 4 });
    });

    it('prints the table as text, and the termination finding between releases', async () => {
      const r = await runCli(['history', repo, '--tags', 'v*']);
      expect(r.code).toBe(0);
      const lines = r.stdout.split('\n');
      for (const rel of expected.releases) {
        const row = lines.find((l) => l.startsWith(`${rel.tag} `));
        expect(row, rel.tag).toBeDefined();
        expect(row).toContain(`${rel.path.slice(rel.path.lastIndexOf('/') + 1)}:${rel.line}`);
        expect(row).toContain(rel.era);
        expect(row!.trimEnd().endsWith(rel.verdict)).toBe(true);
      }
      expect(r.stdout).toContain('  v5.18..v6.0 (2 tags): disagree (linux-5.18)');
      expect(r.stdout).toContain('  v6.2..v7.1 (2 tags): disagree (linux-6.2): the lookup never ends on 3 requests');
      expect(r.stdout).toContain(`    introduced in v6.2 (${idOf('06-pre-copy')} vfio: add the PRE_COPY and PRE_COPY_P2P migration states, 2022-12-06)`);
      expect(r.stdout).toContain(`    fixed in v7.2 (${idOf('11-loop-fix')} `);
      expect(r.stdout.trimEnd().endsWith('verdict at v7.2, the newest tag: agree (vfio-migration)')).toBe(true);
    });
  });

  describe('the commits that change the function (the default)', () => {
    it('lists exactly the commits whose function text changed, comment-only included, and names introducing and fixing commits', async () => {
      const { code, json } = await history(repo);
      const changing = steps.filter((s) => !['absent', 'unchanged'].includes(s.function.text)).map((s) => s.dir);
      expect(json.commits.map((r) => stepOf(r.commit))).toEqual(changing);
      expect(json.commits.map((r) => r.change)).toEqual(['added', 'changed', 'changed', 'comment-only', 'changed', 'changed', 'changed']);
      expect(json.base).toBeNull();
      expect(code).toBe(0);

      const termination = json.findings.filter((f) => f.kind === 'never-ends');
      expect(termination).toHaveLength(1);
      const t = termination[0]!;
      expect(t.subjects).toEqual(TERMINATION);
      expect(t.introduced).toEqual({ ...t.introduced, id: idOf('06-pre-copy'), exact: true, skipped: [] });
      expect(t.fixed).toEqual({ ...t.fixed, id: idOf('11-loop-fix'), exact: true, skipped: [] });
      expect(t.present.map(stepOf)).toEqual(['06-pre-copy', '07-comment-tidy', '09-brace-loop-repair']);
      expect(t.unknown.map(stepOf)).toEqual(['08-brace-loop-broken']);
    });

    it('follows the states the kernel lacks as the fixture says: RUNNING_P2P until 03, the pre-copy states until 06', async () => {
      const { json } = await history(repo);
      const lacks = json.findings.filter((f) => f.kind === 'lacks-state').map((f) => ({ states: f.subjects, introducedAt: stepOf(f.introduced.id), exact: f.introduced.exact, fixedAt: stepOf(f.fixed!.id) }));
      expect(lacks).toEqual([
        { states: ['RUNNING_P2P'], introducedAt: '02-v2-protocol', exact: true, fixedAt: '03-running-p2p' },
        { states: ['PRE_COPY', 'PRE_COPY_P2P'], introducedAt: '02-v2-protocol', exact: true, fixedAt: '06-pre-copy' },
      ]);
    });

    it('reads 9 distinct file versions for 10 commits, and cross-checks only the 7 that change the function', async () => {
      const { json } = await history(repo);
      // 10 commits touch the files (10 changes only the Makefile); 05 is 04's blob renamed.
      expect(json.stats).toEqual({ points: 10, kept: 7, blobsRead: 9, judged: 7 });
    });

    it('prints the table, the runs and the findings as text', async () => {
      const r = await runCli(['history', repo]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('10 commits of HEAD touch drivers/vfio/vfio_main.c or drivers/vfio/vfio.c, 7 of them change the function; 9 file versions read, 7 cross-checked');
      expect(r.stdout).toContain(`  ${idOf('06-pre-copy')}..${idOf('07-comment-tidy')} (2 commits): disagree (linux-6.2): the lookup never ends on 3 requests`);
      expect(r.stdout).toContain(`  ${idOf('08-brace-loop-broken')} (1 commit): unreadable: ${idOf('08-brace-loop-broken')}:drivers/vfio/vfio_main.c:79:5: error VF203: vfio_mig_get_next_state() has no closing brace`);
      const findings = r.stdout.slice(r.stdout.indexOf('\nfindings\n'));
      expect(findings).toContain(['  the lookup never ends on 3 requests', ...TERMINATION.map((t) => `      ${t}`), `    introduced by ${idOf('06-pre-copy')} vfio: add the PRE_COPY and PRE_COPY_P2P migration states (2022-12-06, v6.2)`].join('\n'));
      expect(findings).toContain(`    fixed by ${idOf('11-loop-fix')} vfio: stop the next-state walk at ERROR on a blocked request (2026-06-09, v7.2)\n    cannot be told at ${idOf('08-brace-loop-broken')} (unreadable)`);
    });
  });

  describe('--every-commit: every commit, as the fixture lists them', () => {
    it('gives each step the era, verdict and function place the fixture expects', async () => {
      const { json } = await history(repo, '--every-commit');
      expect(json.commits.map((r) => stepOf(r.commit))).toEqual(steps.map((s) => s.dir));
      for (const [i, step] of steps.entries()) {
        const r = json.commits[i]!;
        expect({ step: step.dir, era: r.matches[0] ?? null, verdict: r.verdict, line: r.line }).toEqual({ step: step.dir, era: step.expected.era, verdict: step.expected.verdict, line: step.function.line });
        if (step.function.path) expect(r.path, step.dir).toBe(step.function.path);
        // The text change as the fixture names it (an unparseable function is a change of text).
        expect(r.change, step.dir).toBe(step.function.text === 'broken' ? 'changed' : step.function.text);
      }
    });

    it("has the fixture's runs of era and verdict: every commit in exactly one", async () => {
      const { json } = await history(repo, '--every-commit');
      const runs = json.runs.map((r) => {
        const from = json.commits.findIndex((c) => c.id === r.from);
        return { steps: json.commits.slice(from, from + r.count).map((c) => stepOf(c.commit)), era: r.matches[0] ?? null, verdict: r.verdict };
      });
      expect(runs).toEqual(expected.verdictRuns);
    });

    it('reports the unparseable commit with its located diagnostic and goes on past it', async () => {
      const { json } = await history(repo, '--every-commit');
      const broken = json.commits.find((r) => stepOf(r.commit) === '08-brace-loop-broken')!;
      const want = steps.find((s) => s.dir === '08-brace-loop-broken')!.expected as unknown as { diagnostic: { code: string; path: string; line: number; column: number; message: string } };
      expect(broken.verdict).toBe('unreadable');
      expect(broken.diagnostics.map((d) => ({ code: d.code, path: d.file, line: d.line, column: d.column, message: d.message }))).toEqual([want.diagnostic]);
      expect(json.commits.slice(json.commits.indexOf(broken) + 1).map((r) => r.verdict)).toEqual(['disagree', 'disagree', 'agree']);
    });

    it('evaluates unchanged blobs once: 11 commits, 9 blobs read, 8 cross-checked (01 has no function)', async () => {
      const { json } = await history(repo, '--every-commit');
      expect(json.stats).toEqual({ points: 11, kept: 11, blobsRead: 9, judged: 8 });
    });

    it('the exit code is the newest commit\'s per-commit code, as `kernel` gives it for that file', async () => {
      for (const step of steps.slice(1)) {
        const r = await runCli(['history', repo, '--every-commit', '--range', ids.get(step.dir)!]);
        expect(r.code, step.dir).toBe(step.expected.exitCode);
      }
    });
  });

  describe('--range', () => {
    it('reads the parent of the first commit as the base, so a finding is introduced exactly inside the range', async () => {
      const { code, json } = await history(repo, '--range', `${ids.get('05-rename-vfio-main')}..${ids.get('09-brace-loop-repair')}`);
      expect(json.base && stepOf(json.base.commit)).toBe('05-rename-vfio-main');
      expect(json.commits.map((r) => stepOf(r.commit))).toEqual(['06-pre-copy', '07-comment-tidy', '08-brace-loop-broken', '09-brace-loop-repair']);
      const t = json.findings.find((f) => f.kind === 'never-ends')!;
      expect(t.introduced).toMatchObject({ id: idOf('06-pre-copy'), exact: true });
      expect(t.fixed).toBeNull();
      // The newest commit of the range, 09, disagrees.
      expect(code).toBe(1);
    });

    it('a finding the base already has was introduced at or before the range', async () => {
      const { json } = await history(repo, '--range', `${ids.get('07-comment-tidy')}..HEAD`);
      const t = json.findings.find((f) => f.kind === 'never-ends')!;
      expect(t.introduced).toMatchObject({ id: idOf('07-comment-tidy'), exact: false });
      expect(t.introduced.note).toBe('it holds at the base of the range (the parent of its first commit) already');
      expect(t.fixed).toMatchObject({ id: idOf('11-loop-fix'), exact: true });
    });
  });

  describe('a shallow clone', () => {
    let shallow: string;
    beforeAll(() => {
      shallow = join(scratch, 'shallow');
      gitIn(scratch, ['clone', '-q', '--depth', '3', `file://${repo}`, shallow]);
    });

    it('says it is shallow, and its release table has only the tags it holds', async () => {
      const { code, json } = await history(shallow, '--tags', 'v*');
      expect(json.shallow).toBe(true);
      expect(json.notes.join('\n')).toContain('shallow clone');
      expect(json.commits.map((r) => [r.tag, r.matches[0], r.verdict])).toEqual([
        ['v7.1', 'linux-6.2', 'disagree'],
        ['v7.2', 'vfio-migration', 'agree'],
      ]);
      expect(code).toBe(0);
    });

    it('puts the termination finding at or before the shallow boundary, fixed at the loop fix', async () => {
      const { json } = await history(shallow);
      expect(json.commits.map((r) => stepOf(r.commit))).toEqual(['09-brace-loop-repair', '11-loop-fix']);
      const t = json.findings.find((f) => f.kind === 'never-ends')!;
      expect(t.introduced).toMatchObject({ id: idOf('09-brace-loop-repair'), exact: false });
      expect(t.introduced.note).toContain('shallow boundary');
      expect(t.fixed).toMatchObject({ id: idOf('11-loop-fix'), exact: true });
      const text = await runCli(['history', shallow]);
      expect(text.stdout).toContain(`    introduced at or before ${idOf('09-brace-loop-repair')} vfio: close the brace of the skip loop (2024-03-05); it is the oldest commit of this shallow clone (the shallow boundary)`);
    });
  });

  describe('repositories without the file or the function: one line, exit 2', () => {
    it('no candidate file in any commit (VF503), naming both paths', async () => {
      const dir = join(scratch, 'no-file');
      buildFixtureRepo(dir, { only: ['01-feature-helpers'], edit: (_step, tree) => unlinkSync(join(tree, 'drivers/vfio/vfio.c')) });
      const r = await runCli(['history', dir]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('vfio-fsm history: error VF503: no commit of HEAD touches drivers/vfio/vfio_main.c or drivers/vfio/vfio.c\n');
      const tags = await runCli(['history', dir, '--every-commit']);
      expect(tags.stderr).toBe('vfio-fsm history: error VF503: no commit checked has drivers/vfio/vfio_main.c or drivers/vfio/vfio.c\n');
    });

    it('the file exists but no commit defines the function (VF504)', async () => {
      const dir = join(scratch, 'no-function');
      buildFixtureRepo(dir, { only: ['01-feature-helpers'] });
      const r = await runCli(['history', dir]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('vfio-fsm history: error VF504: drivers/vfio/vfio.c exists but no commit checked defines vfio_mig_get_next_state()\n');
    });
  });

  it('a file version that is not text is reported for its commit (VF093), and the sweep goes on', async () => {
    const dir = join(scratch, 'binary');
    const ids2 = buildFixtureRepo(dir, {
      only: ['02-v2-protocol', '03-running-p2p', '04-data-fd-unwind'],
      edit: (step, tree) => {
        if (step === '03-running-p2p') writeFileSync(join(tree, 'drivers/vfio/vfio.c'), 'int vfio_mig_get_next_state(void)\0{ }\n');
      },
    });
    const r = await runCli(['history', dir, '--json']);
    const json = JSON.parse(r.stdout) as History;
    expect(json.commits.map((c) => [c.id, c.verdict, c.diagnostics.map((d) => `${d.file} ${d.code}`).join()])).toEqual([
      [ids2.get('02-v2-protocol')!.slice(0, 12), 'disagree', ''],
      [ids2.get('03-running-p2p')!.slice(0, 12), 'unreadable', 'drivers/vfio/vfio.c VF093'],
      [ids2.get('04-data-fd-unwind')!.slice(0, 12), 'disagree', ''],
    ]);
    expect(r.code).toBe(1);
  });

  it('git cat-file failing is a one-line error (VF505), not a hang', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'vfio-fsm-not-a-repo-'));
    const cat = new CatFile(plain, '--batch-check');
    try {
      const failed = await cat.info('HEAD').then(() => null, (e: unknown) => e);
      expect(failed).toBeInstanceOf(GitError);
      expect((failed as GitError).code).toBe('VF505');
      expect((failed as GitError).message).toMatch(/^git cat-file --batch-check stopped: fatal: not a git repository/);
    } finally {
      cat.close();
      rmSync(plain, { recursive: true, force: true });
    }
  });

  describe('errors: one line, exit 2', () => {
    const oneLine = (s: string): void => {
      expect(s.split('\n').filter(Boolean)).toHaveLength(1);
      expect(s).not.toMatch(/at .*\.[jt]s:\d+/);
    };

    it('no such folder, and a folder that is not a repository (VF501)', async () => {
      const missing = await runCli(['history', join(scratch, 'nowhere')]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toBe(`vfio-fsm history: error VF501: ${join(scratch, 'nowhere')}: no such folder\n`);
      const plain = mkdtempSync(join(tmpdir(), 'vfio-fsm-not-a-repo-'));
      try {
        const r = await runCli(['history', plain]);
        expect(r.code).toBe(2);
        oneLine(r.stderr);
        expect(r.stderr).toMatch(/^vfio-fsm history: error VF501: .* is not a git repository \(fatal: not a git repository/);
      } finally {
        rmSync(plain, { recursive: true, force: true });
      }
    });

    it('a bad range, a range that looks like an option, a pattern no tag matches (VF502)', async () => {
      const bad = await runCli(['history', repo, '--range', 'v1..v2']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toBe("vfio-fsm history: error VF502: bad range \"v1..v2\": fatal: bad revision 'v1..v2'\n");
      const option = await runCli(['history', repo, '--range=--output=x']);
      expect(option.code).toBe(2);
      expect(option.stderr).toBe('vfio-fsm history: error VF502: bad range "--output=x": it cannot start with "-"\n');
      const none = await runCli(['history', repo, '--tags', 'release-*']);
      expect(none.code).toBe(2);
      expect(none.stderr).toBe('vfio-fsm history: error VF502: no tag matches "release-*"\n');
    });

    it('no git on PATH (VF500)', async () => {
      const saved = process.env['PATH'];
      process.env['PATH'] = join(scratch, 'no-bin');
      try {
        const r = await runCli(['history', repo]);
        expect(r.code).toBe(2);
        expect(r.stderr).toBe('vfio-fsm history: error VF500: git is not installed or not on PATH; history reads the repository with it\n');
      } finally {
        process.env['PATH'] = saved;
      }
    });

    it('more commits than --max-commits (VF506), and usage mistakes', async () => {
      const r = await runCli(['history', repo, '--max-commits', '3']);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('vfio-fsm history: error VF506: HEAD has more than 3 commits to check (--max-commits): narrow the range or raise the bound\n');
      const both = await runCli(['history', repo, '--tags', 'v*', '--range', 'HEAD']);
      expect(both.code).toBe(2);
      oneLine(both.stderr);
      const n = await runCli(['history', repo, '--max-commits', 'lots']);
      expect(n.code).toBe(2);
      oneLine(n.stderr);
    });

    it('with --json, the error is an object on stdout', async () => {
      const r = await runCli(['history', join(scratch, 'nowhere'), '--json']);
      expect(r.code).toBe(2);
      expect(JSON.parse(r.stdout)).toEqual({ ok: false, verdict: null, error: { code: 'VF501', message: `${join(scratch, 'nowhere')}: no such folder` } });
    });
  });
});
