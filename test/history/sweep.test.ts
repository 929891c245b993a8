// The pure parts of `vfio-fsm history`: the function's text and how it
// changes, the bisect-like intervals of a finding, runs, and the sweep's
// reuse of results (each distinct blob read once, judged at most once).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SourceText } from '../../src/common/source.js';
import { locate } from '../../src/diagnostics/diagnostic.js';
import { compareText, functionText } from '../../src/history/function-text.js';
import type { FunctionText } from '../../src/history/function-text.js';
import { intervals } from '../../src/history/intervals.js';
import type { Presence } from '../../src/history/intervals.js';
import type { Outcome } from '../../src/history/judge.js';
import { historyReport } from '../../src/history/report.js';
import { runsOf } from '../../src/history/runs.js';
import type { FileAt, Point } from '../../src/history/sweep.js';
import { sweep } from '../../src/history/sweep.js';
import { HISTORY_FIXTURES, readSteps } from '../support/history-repo.js';

const NAME = 'vfio_mig_get_next_state';
const { steps, expected } = readSteps();

function fileOf(dir: string): { path: string; text: string } | null {
  const step = steps.find((s) => s.dir === dir)!;
  const path = step.files.find((f) => f.endsWith('.c'));
  return path ? { path, text: readFileSync(join(HISTORY_FIXTURES, 'steps', dir, path), 'utf8') } : null;
}

describe('the function text of each fixture step', () => {
  const texts = steps.map((s) => {
    const f = fileOf(s.dir);
    return f ? functionText(f.text, NAME) : ({ kind: 'absent' } as FunctionText);
  });

  it('is found at the line and classified as the fixture says (added, changed, unchanged, comment-only, broken, absent)', () => {
    let before: FunctionText = { kind: 'absent' };
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      const fn = texts[i]!;
      const want = step.function.text;
      if (want === 'absent') expect(fn.kind, step.dir).toBe('absent');
      else {
        expect(fn.kind, step.dir).toBe('defined');
        if (fn.kind !== 'defined') continue;
        expect(fn.line, step.dir).toBe(step.function.line);
        expect(fn.complete, step.dir).toBe(want !== 'broken');
        const change = compareText(before, fn);
        expect(change, step.dir).toBe(want === 'broken' ? 'changed' : want);
      }
      before = fn;
    }
  });

  it('runs from the return type to the closing brace: the kernel-doc above and the EXPORT_SYMBOL below are not part of it', () => {
    const fn = texts[steps.findIndex((s) => s.dir === '06-pre-copy')]!;
    if (fn.kind !== 'defined') throw new Error('06 defines the function');
    expect(fn.text.startsWith('int vfio_mig_get_next_state(')).toBe(true);
    expect(fn.text.endsWith('}')).toBe(true);
    expect(fn.text).not.toContain('EXPORT_SYMBOL');
    expect(fn.text).not.toContain('@next_fsm');
  });

  it('has the runs of identical text the fixture lists (a rename does not break a run, a comment-only change does)', () => {
    const defined = steps.map((s, i) => ({ dir: s.dir, fn: texts[i]! })).filter((x) => x.fn.kind === 'defined');
    const runs = runsOf(defined, (x) => (x.fn.kind === 'defined' ? x.fn.text : '')).map((r) => defined.slice(r.from, r.to + 1).map((x) => x.dir));
    expect(runs).toEqual(expected.textRuns);
  });

  it('a function seen with nothing known before it is "first"; absent after absent is "absent"; gone is "removed"', () => {
    const fn = texts[1]!;
    expect(compareText(undefined, fn)).toBe('first');
    expect(compareText(undefined, { kind: 'absent' })).toBe('absent');
    expect(compareText({ kind: 'absent' }, { kind: 'absent' })).toBe('absent');
    expect(compareText(fn, { kind: 'absent' })).toBe('removed');
  });
});

describe('intervals: where a finding is introduced and fixed, as git bisect would say', () => {
  const p = (s: string): Presence[] => [...s].map((c) => (c === 'y' ? 'yes' : c === 'n' ? 'no' : 'unknown'));

  it('introduced at the first commit with it after one without, fixed at the first later commit without it', () => {
    expect(intervals(p('nnyyyn'), 'no')).toEqual([{ introduced: { index: 2, exact: true, skipped: [] }, fixed: { index: 5, exact: true, skipped: [] }, present: [2, 3, 4], unknown: [] }]);
  });

  it('an unreadable commit inside neither fixes nor reintroduces it (the 08 of the fixture)', () => {
    const [only, ...rest] = intervals(p('nyy?yn'), 'no');
    expect(rest).toEqual([]);
    expect(only).toEqual({ introduced: { index: 1, exact: true, skipped: [] }, fixed: { index: 5, exact: true, skipped: [] }, present: [1, 2, 4], unknown: [3] });
  });

  it('an unreadable commit just before the change is named as a possible culprit', () => {
    const [only] = intervals(p('n?y?n'), 'no');
    expect(only!.introduced).toEqual({ index: 2, exact: true, skipped: [1] });
    expect(only!.fixed).toEqual({ index: 4, exact: true, skipped: [3] });
  });

  it('a finding introduced, fixed and introduced again has two intervals; one still there has no fix', () => {
    const r = intervals(p('ynny'), 'no');
    expect(r.map((i) => [i.introduced.index, i.fixed?.index ?? null])).toEqual([[0, 1], [3, null]]);
  });

  it('holding at the first commit that can be told, with nothing known before, is "at or before" it', () => {
    expect(intervals(p('yyn'), 'unknown')[0]!.introduced).toEqual({ index: 0, exact: false, skipped: [] });
    expect(intervals(p('?yn'), 'no')[0]!.introduced).toEqual({ index: 1, exact: true, skipped: [0] });
    expect(intervals(p('yn'), 'yes')[0]!.introduced).toEqual({ index: -1, exact: false, skipped: [] });
    expect(intervals(p('yn'), 'no')[0]!.introduced.exact).toBe(true);
  });

  it('runsOf joins equal neighbours only', () => {
    expect(runsOf(['a', 'a', 'b', 'a'], (x) => x)).toEqual([{ from: 0, to: 1 }, { from: 2, to: 2 }, { from: 3, to: 3 }]);
    expect(runsOf([], (x: string) => x)).toEqual([]);
  });
});

describe('the sweep reads each blob once and judges it at most once', () => {
  // Blobs a..e stand for file versions; the function text is what the fake file holds.
  const versions: Record<string, string> = {
    a: 'int vfio_mig_get_next_state(void) { return 1; }',
    b: '/* other code */ int vfio_mig_get_next_state(void) { return 1; }',
    c: 'int vfio_mig_get_next_state(void) { return 2; }',
    d: 'int vfio_mig_get_next_state(void) { /* why */ return 2; }',
    e: 'int other(void) { return 0; }',
  };
  const point = (i: number, blob: string | null, path = 'drivers/vfio/vfio_main.c'): Point => ({
    commit: String(i).padStart(40, '0'),
    date: `2024-01-${String(i + 1).padStart(2, '0')}T00:00:00+00:00`,
    subject: `commit ${i}`,
    tags: [],
    tag: null,
    files: blob ? [{ path, blob }] : [],
  });
  // b differs from a outside the function; c changes it; d is comment-only; back to c; e drops it; a again under the old name.
  const points = [point(0, 'a'), point(1, 'b'), point(2, 'c'), point(3, 'd'), point(4, 'c'), point(5, 'c'), point(6, 'e'), point(7, 'a', 'drivers/vfio/vfio.c')];

  function fakes(): { reads: string[]; judged: string[]; io: Parameters<typeof sweep>[2] } {
    const reads: string[] = [];
    const judged: string[] = [];
    return {
      reads,
      judged,
      io: {
        read: async (f: FileAt) => {
          reads.push(f.blob);
          return versions[f.blob]!;
        },
        judge: async (s: SourceText): Promise<Outcome> => {
          judged.push(s.text);
          const fixed = s.text.includes('return 2');
          return { status: 'judged', verdict: fixed ? 'agree' : 'disagree', matches: [], reasons: fixed ? [] : ['wrong'], unchecked: [], missingFixes: [], evaluated: true, atoms: fixed ? [] : [{ kind: 'never-ends', key: 'never-ends X', subject: 'X', detail: '' }] };
        },
      },
    };
  }

  it('with keep: changes, keeps the commits that change the function, judging once per distinct text', async () => {
    const f = fakes();
    const s = await sweep(points, { kind: 'empty' }, f.io, { functionName: NAME, keep: 'changes' });
    expect(s.checked.map((c) => [c.point.subject, c.change])).toEqual([
      ['commit 0', 'added'],
      ['commit 2', 'changed'],
      ['commit 3', 'comment-only'],
      ['commit 4', 'comment-only'],
      ['commit 6', 'removed'],
      ['commit 7', 'added'],
    ]);
    expect(new Set(f.reads).size).toBe(f.reads.length);
    expect(f.reads.sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    // a, c, d: commit 4 is c again and commit 7 is a again, both reused.
    expect(f.judged).toHaveLength(3);
    expect(s.stats).toEqual({ points: 8, kept: 6, blobsRead: 5, judged: 3 });
    const report = historyReport(s);
    expect(report.findings.map((x) => [x.finding, x.introduced.row.subject, x.fixed?.row.subject ?? null])).toEqual([
      ['the lookup never ends on 1 request', 'commit 0', 'commit 2'],
      ['the lookup never ends on 1 request', 'commit 7', null],
    ]);
    expect(report.rows.find((r) => r.subject === 'commit 6')!.verdict).toBe('absent');
  });

  it('with keep: all, keeps every commit and judges each distinct blob once', async () => {
    const f = fakes();
    const s = await sweep(points, { kind: 'empty' }, f.io, { functionName: NAME, keep: 'all' });
    expect(s.checked).toHaveLength(8);
    expect(s.stats).toEqual({ points: 8, kept: 8, blobsRead: 5, judged: 4 });
    expect(report(s)).toEqual(['commit 0..commit 1 (2)', 'commit 2..commit 5 (4)', 'commit 6 (1)', 'commit 7 (1)']);
  });

  it('a blob that cannot be read is reported for its commit and the sweep goes on', async () => {
    const f = fakes();
    const io = {
      ...f.io,
      read: async (file: FileAt) => (file.blob === 'c' ? locate(new SourceText(file.path, ''), 'error', 'VF093', { start: 0, end: 0 }, 'is a binary file') : f.io.read(file)),
    };
    const s = await sweep(points.slice(0, 4), { kind: 'empty' }, io, { functionName: NAME, keep: 'changes' });
    expect(s.checked.map((c) => [c.point.subject, c.outcome.status])).toEqual([
      ['commit 0', 'judged'],
      ['commit 2', 'unreadable'],
      ['commit 3', 'judged'],
    ]);
    // The finding goes away at commit 3; commit 2 cannot be told, so it may be the fix too.
    const [finding] = historyReport(s).findings;
    expect(finding!.fixed!.row.subject).toBe('commit 3');
    expect(finding!.fixed!.skipped.map((r) => r.subject)).toEqual(['commit 2']);
  });

  function report(s: Awaited<ReturnType<typeof sweep>>): string[] {
    return historyReport(s).runs.map((r) => `${r.from.subject}${r.count > 1 ? `..${r.to.subject}` : ''} (${r.count})`);
  }
});
