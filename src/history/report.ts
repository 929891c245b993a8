import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Verdict } from '../kernel/checks/result.js';
import type { Atom, FindingKind } from './findings.js';
import { REQUEST_KINDS } from './findings.js';
import type { TextChange } from './function-text.js';
import type { Edge, Interval, Presence } from './intervals.js';
import { intervals } from './intervals.js';
import type { Outcome } from './judge.js';
import { runsOf } from './runs.js';
import type { Checked, Sweep } from './sweep.js';

/**
 * A sweep turned into what a reader asks of a history: a row per commit
 * (or tag), runs of rows with the same verdict, and for each finding the
 * commit that introduced it and the one that fixed it.
 */

export type RowVerdict = Verdict | 'unreadable' | 'absent';

/** How many hex digits of a commit id are shown: the kernel's `Fixes:` tags use 12. */
export const SHORT_ID = 12;

export interface Row {
  readonly id: string;
  readonly commit: string;
  readonly date: string;
  readonly subject: string;
  readonly tags: readonly string[];
  /** The release this row stands for (--tags). */
  readonly tag: string | null;
  /** Where the function was read: the file, and the line of its name. */
  readonly path: string | null;
  readonly line: number | null;
  readonly change: TextChange;
  readonly verdict: RowVerdict;
  /** The bundled specs the function is equivalent to, as `vfio-fsm kernel` reports them. */
  readonly matches: readonly string[];
  readonly reasons: readonly string[];
  readonly unchecked: readonly string[];
  readonly missingFixes: readonly string[];
  /** Each finding at this commit, in words. */
  readonly findings: readonly string[];
  /** Why the commit cannot be read. */
  readonly diagnostics: readonly Diagnostic[];
}

export interface Run {
  readonly from: Row;
  readonly to: Row;
  readonly count: number;
}

export interface EdgeReport {
  readonly row: Row;
  /** False: the finding already holds here, the first commit that can be told; it came in here or before. */
  readonly exact: boolean;
  /** Why nothing earlier is known (the shallow boundary, the base of the range, the first tag). */
  readonly note: string | null;
  /** Commits that cannot be read just before this one: the change may be theirs. */
  readonly skipped: readonly Row[];
}

export interface FindingReport {
  readonly kind: FindingKind;
  /** The finding in words, e.g. "the lookup never ends on 3 requests". */
  readonly finding: string;
  /** The requests or states it is about. */
  readonly subjects: readonly string[];
  readonly introduced: EdgeReport;
  readonly fixed: EdgeReport | null;
  readonly present: readonly Row[];
  readonly unknown: readonly Row[];
}

export interface HistoryReport {
  readonly rows: readonly Row[];
  /** The state before the first row, when it was read (the parent of a range's first commit). */
  readonly base: Row | null;
  readonly runs: readonly Run[];
  readonly findings: readonly FindingReport[];
  /** The newest row (or the base when no row is kept): what the exit code tells. */
  readonly newest: Row | null;
}

function row(c: Checked): Row {
  const o = c.outcome;
  const p = c.point;
  const common = { id: p.commit.slice(0, SHORT_ID), commit: p.commit, date: p.date, subject: p.subject, tags: p.tags, tag: p.tag, path: c.path, line: c.line, change: c.change };
  const none = { matches: [], reasons: [], unchecked: [], missingFixes: [], findings: [], diagnostics: [] };
  if (o.status === 'absent') return { ...common, ...none, verdict: 'absent' };
  if (o.status === 'unreadable') return { ...common, ...none, verdict: 'unreadable', diagnostics: o.diagnostics };
  return {
    ...common,
    ...none,
    verdict: o.verdict,
    matches: o.matches,
    reasons: o.reasons,
    unchecked: o.unchecked,
    missingFixes: o.missingFixes,
    findings: o.atoms.map(atomText),
  };
}

export function atomText(a: Atom): string {
  switch (a.kind) {
    case 'never-ends':
      return `never ends: ${a.subject} (${a.detail})`;
    case 'refused':
      return `refused: ${a.subject} (${a.detail})`;
    case 'changed-path':
      return `changed path: ${a.subject} (${a.detail})`;
    case 'undefined-behaviour':
      return `undefined behaviour: ${a.subject} (${a.detail})`;
    case 'lacks-state':
      return `the kernel lacks ${a.subject}`;
    case 'extra-state':
      return `the kernel has ${a.subject}, which the spec lacks`;
  }
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A group of findings of one kind that come and go together, in words. */
function findingText(kind: FindingKind, subjects: readonly string[]): string {
  const n = subjects.length;
  switch (kind) {
    case 'never-ends':
      return `the lookup never ends on ${plural(n, 'request')}`;
    case 'refused':
      return `${plural(n, 'request')} refused, where the spec answers otherwise`;
    case 'changed-path':
      return `${plural(n, 'request')} answered with another next state than the spec's`;
    case 'undefined-behaviour':
      return `undefined behaviour on ${plural(n, 'request')}`;
    case 'lacks-state':
      return `the kernel lacks ${subjects.join(', ')}`;
    case 'extra-state':
      return `the kernel has states the spec lacks: ${subjects.join(', ')}`;
  }
}

/** Whether the finding holds at a commit: unknown where it cannot be told. */
function presence(o: Outcome, atom: { kind: FindingKind; key: string }): Presence {
  if (o.status === 'absent') return 'no';
  if (o.status === 'unreadable') return 'unknown';
  if (!o.evaluated && REQUEST_KINDS.has(atom.kind)) return 'unknown';
  return o.atoms.some((a) => a.key === atom.key) ? 'yes' : 'no';
}

/** Findings are listed worst first: a hang, then wrong answers, then what the kernel's table lacks or adds. */
const KIND_ORDER: readonly FindingKind[] = ['never-ends', 'undefined-behaviour', 'changed-path', 'refused', 'lacks-state', 'extra-state'];

export function historyReport(s: Sweep): HistoryReport {
  const rows = s.checked.map(row);
  const base = s.base ? row(s.base) : null;
  const runs = runsOf(rows, runKey).map((r) => ({ from: rows[r.from]!, to: rows[r.to]!, count: r.to - r.from + 1 }));

  // Every finding seen anywhere (the base included), then its intervals; findings of one kind with the same intervals are one group.
  const atoms = new Map<string, Atom>();
  for (const c of [...(s.base ? [s.base] : []), ...s.checked]) if (c.outcome.status === 'judged') for (const a of c.outcome.atoms) if (!atoms.has(a.key)) atoms.set(a.key, a);
  const basePresence = (a: Atom): Presence => (s.baseKind === 'empty' ? 'no' : s.base ? presence(s.base.outcome, a) : 'unknown');
  const groups = new Map<string, { kind: FindingKind; subjects: string[]; interval: Interval }>();
  for (const a of atoms.values()) {
    for (const interval of intervals(s.checked.map((c) => presence(c.outcome, a)), basePresence(a))) {
      const key = `${a.kind} ${JSON.stringify(interval)}`;
      const g = groups.get(key);
      if (g) g.subjects.push(a.subject);
      else groups.set(key, { kind: a.kind, subjects: [a.subject], interval });
    }
  }
  const edge = (e: Edge): EdgeReport => {
    const at = e.index < 0 ? base! : rows[e.index]!;
    const note = e.exact ? null : e.index < 0 ? 'it holds at the base of the range (the parent of its first commit) already' : edgeNote(s, e.index);
    return { row: at, exact: e.exact, note, skipped: e.skipped.map((i) => rows[i]!) };
  };
  const findings = [...groups.values()]
    .map((g) => ({
      kind: g.kind,
      finding: findingText(g.kind, g.subjects),
      subjects: g.subjects,
      introduced: edge(g.interval.introduced),
      fixed: g.interval.fixed ? edge(g.interval.fixed) : null,
      present: g.interval.present.map((i) => rows[i]!),
      unknown: g.interval.unknown.map((i) => rows[i]!),
      order: [KIND_ORDER.indexOf(g.kind), g.interval.introduced.index, g.interval.fixed?.index ?? rows.length] as const,
    }))
    .sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1] || a.order[2] - b.order[2])
    .map(({ order: _order, ...f }) => f);
  return { rows, base, runs, findings, newest: rows[rows.length - 1] ?? base };
}

/** Why a finding that holds at the first commit that can be told is said to come in "at or before" it. */
function edgeNote(s: Sweep, index: number): string | null {
  const unreadableBefore = s.checked.slice(0, index).some((c) => c.outcome.status === 'unreadable');
  if (unreadableBefore) return 'the commits before it cannot be read';
  if (s.baseKind === 'unknown') return s.baseWhy;
  if (s.base?.outcome.status === 'unreadable') return 'the base of the range cannot be read';
  return null;
}

/** Rows with the same verdict, the same era and the same reasons make one run. */
function runKey(r: Row): string {
  if (r.verdict === 'unreadable') return `unreadable ${r.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`;
  return JSON.stringify([r.verdict, r.matches, r.reasons, r.unchecked]);
}
