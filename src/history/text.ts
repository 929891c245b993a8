import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Painter } from '../diagnostics/format.js';
import { plain } from '../diagnostics/format.js';
import type { EdgeReport, HistoryReport, Row } from './report.js';

/** What the text report says above the table: what was swept, and how. */
export interface HistoryHeader {
  readonly functionName: string;
  readonly repository: string;
  readonly spec: string;
  readonly specName: string | null;
  /** What was listed, in words: "10 commits of HEAD touch drivers/vfio/vfio_main.c or drivers/vfio/vfio.c". */
  readonly selection: string;
  /** Commits that change the function, every commit, or tags. */
  readonly mode: 'changes' | 'every' | 'tags';
  readonly notes: readonly string[];
}

/** How many requests or states a finding lists before "and N more". */
const LIST = 5;
const SUBJECT_WIDTH = 48;

function cut(s: string, width: number): string {
  return s.length <= width ? s : `${s.slice(0, width - 3)}...`;
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** A commit's place in text: `rev:path:line:col: error VFnnn: message`, so that `git show rev:path` opens it. */
function diagnosticLine(r: Row, d: Diagnostic): string {
  return `${r.id}:${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`;
}

/** A row as a place in the history: the tag it stands for (tags mode) or its commit id. */
function name(r: Row, tagsMode: boolean): string {
  return tagsMode && r.tag ? r.tag : r.id;
}

function verdictWords(r: Row): string {
  if (r.verdict === 'unreadable') return `unreadable: ${r.diagnostics.map((d) => diagnosticLine(r, d)).join('; ')}`;
  if (r.verdict === 'absent') return `absent: no definition in ${r.path ?? 'any candidate file'}`;
  const era = r.matches.length ? ` (${r.matches.join(', ')})` : '';
  const why = r.verdict === 'disagree' ? r.reasons : r.verdict === 'inconclusive' ? r.unchecked : [];
  return `${r.verdict}${era}${why.length ? `: ${why.join('; ')}` : ''}`;
}

function table(report: HistoryReport, tagsMode: boolean): string[] {
  const withTags = !tagsMode && report.rows.some((r) => r.tags.length > 0);
  const head = [...(tagsMode ? ['tag'] : []), 'commit', 'date', 'subject', ...(withTags ? ['tags'] : []), 'function', 'matches', 'verdict'];
  const cells = report.rows.map((r) => [
    ...(tagsMode ? [r.tag ?? ''] : []),
    r.id,
    day(r.date),
    cut(r.subject, SUBJECT_WIDTH),
    ...(withTags ? [r.tags.join(', ') || '-'] : []),
    r.path ? `${basename(r.path)}${r.line !== null ? `:${r.line}` : ''}` : '-',
    r.matches.join(', ') || '-',
    r.verdict,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]): string => c.map((x, i) => (i === c.length - 1 ? x : x.padEnd(widths[i]!))).join('  ');
  return [line(head), ...cells.map(line)];
}

function when(r: Row): string {
  return `${day(r.date)}${r.tags.length ? `, ${r.tags.join(', ')}` : ''}`;
}

/**
 * An edge of a finding's interval. Between commits, the commit that made the
 * change; between tags, only the release it first shows in (the commit is
 * somewhere between the two tags).
 */
function edgeLine(label: 'introduced' | 'fixed', e: EdgeReport, tagsMode: boolean): string {
  const r = e.row;
  const what = tagsMode && r.tag ? `${r.tag} (${r.id} ${r.subject}, ${day(r.date)})` : `${r.id} ${r.subject} (${when(r)})`;
  const head = e.exact ? (tagsMode ? `${label} in` : `${label} by`) : `${label} at or before`;
  const lines = [`    ${head} ${what}${e.note ? `; ${e.note}` : ''}`];
  if (e.skipped.length) lines.push(`      or ${tagsMode ? 'in' : 'by'} one just before it that cannot be read: ${e.skipped.map((x) => name(x, tagsMode)).join(', ')}`);
  return lines.join('\n');
}

/**
 * The text report: what was swept, the table (one row per commit or tag),
 * the runs of rows with the same verdict, each finding with the commits
 * that introduced and fixed it, and the verdict at the newest row last.
 */
export function historyText(report: HistoryReport, header: HistoryHeader, paint: Painter = plain): string {
  const tagsMode = header.mode === 'tags';
  const out: string[] = [];
  const spec = `${header.spec}${header.specName ? ` (${header.specName})` : ''}`;
  out.push(paint.bold(`${header.functionName}() in the history of ${header.repository} against ${spec}`));
  out.push(header.selection);
  for (const n of header.notes) out.push(paint.dim(`  note: ${n}`));
  if (report.base) out.push(paint.dim(`  note: before the first commit listed, its parent ${report.base.id} (${day(report.base.date)}): ${report.base.verdict}${report.base.matches.length ? ` (${report.base.matches.join(', ')})` : ''}`));

  if (report.rows.length) {
    out.push('');
    out.push(...table(report, tagsMode));
    out.push('');
    out.push(paint.bold('runs'));
    for (const r of report.runs) {
      const span = r.count === 1 ? name(r.from, tagsMode) : `${name(r.from, tagsMode)}..${name(r.to, tagsMode)}`;
      const unit = tagsMode ? 'tag' : 'commit';
      out.push(`  ${span} (${r.count} ${unit}${r.count === 1 ? '' : 's'}): ${verdictWords(r.from)}`);
    }
  }

  out.push('');
  out.push(paint.bold('findings'));
  if (report.findings.length === 0) out.push('  none: every commit checked agrees with the spec, or cannot be read');
  for (const f of report.findings) {
    out.push(`  ${f.finding}`);
    if (f.kind !== 'lacks-state' && f.kind !== 'extra-state') {
      for (const s of f.subjects.slice(0, LIST)) out.push(`      ${s}`);
      if (f.subjects.length > LIST) out.push(`      ... and ${f.subjects.length - LIST} more`);
    }
    out.push(edgeLine('introduced', f.introduced, tagsMode));
    out.push(f.fixed ? edgeLine('fixed', f.fixed, tagsMode) : paint.red(`    not fixed: it still holds at the newest ${tagsMode ? 'tag' : 'commit'} checked`));
    if (f.unknown.length) out.push(`    cannot be told at ${f.unknown.map((r) => name(r, tagsMode)).join(', ')} (unreadable)`);
  }

  const newest = report.newest;
  if (newest) {
    out.push('');
    const which = !report.rows.length
      ? `${newest.id}, the base (no commit listed changes the function)`
      : tagsMode
        ? `${name(newest, true)}, the newest tag`
        : `${newest.id}${newest.tags.length ? ` (${newest.tags.join(', ')})` : ''}, the newest commit${header.mode === 'changes' ? ' that changes the function' : ''}`;
    const line = `verdict at ${which}: ${verdictWords(newest)}`;
    out.push(paint.bold(newest.verdict === 'agree' ? line : newest.verdict === 'disagree' ? paint.red(line) : paint.yellow(line)));
  }
  return out.join('\n');
}
