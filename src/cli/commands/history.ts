import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { HistoryReport, Row } from '../../history/report.js';
import type { FileAt } from '../../history/sweep.js';
import { diagnosticJson, EXIT, painter, printJson } from '../console.js';
import { CatFile, GitError } from '../git.js';
import { listPoints, requireRepository } from '../history-points.js';
import type { Selection } from '../history-points.js';
import { loadSpec, reportLoadFailure } from '../load-spec.js';
import { decodeInput, KERNEL_INPUT_BYTES, oversized } from '../../node/read-input.js';
import { chosenSpec, eraReferences } from '../references.js';
import { UsageError } from '../usage-error.js';

/** Where the lookup lives, newest name first: `vfio_main.c` from 6.0, `vfio.c` before. */
export const CANDIDATE_PATHS = ['drivers/vfio/vfio_main.c', 'drivers/vfio/vfio.c'] as const;

const DEFAULT_MAX_COMMITS = 5000;

interface HistoryOptions {
  range?: string;
  tags?: string;
  everyCommit?: boolean;
  spec: string;
  maxCommits?: string;
  json?: boolean;
}

export function registerHistory(program: Command): void {
  program
    .command('history')
    .description("judge every commit (or release tag) of a kernel tree that changes the lookup, and name the commits that introduced and fixed each finding")
    .argument('<git-dir>', 'a folder of a git repository (a kernel tree, or any clone holding drivers/vfio/vfio_main.c or vfio.c)')
    .option('--range <range>', 'the commits to look at, as git understands them (A..B, a tag, a branch); default: HEAD and its ancestors')
    .option('--tags <pattern>', 'check the file at each tag matching the pattern instead (e.g. "v*"), in version order: the release table')
    .option('--every-commit', 'list every commit of the range, not only those that change the function')
    .option('--spec <spec>', 'the spec to judge against: a bundled name (vfio-migration, linux-6.2, ...) or a path', 'vfio-migration')
    .option('--max-commits <n>', `refuse to check more commits or tags than this (default ${DEFAULT_MAX_COMMITS})`)
    .option('--json', 'print the result as JSON')
    .action(async (dir: string, opts: HistoryOptions) => {
      process.exitCode = await runHistory(dir, opts);
    });
}

function selectionOf(opts: HistoryOptions): Selection {
  if (opts.tags !== undefined && (opts.range !== undefined || opts.everyCommit)) throw new UsageError('history: --tags checks tags, not a range of commits: give --tags or --range/--every-commit, not both');
  if (opts.tags !== undefined) return { kind: 'tags', pattern: opts.tags };
  return { kind: opts.everyCommit ? 'every' : 'changes', range: opts.range ?? null };
}

function maxCommitsOf(given: string | undefined): number {
  if (given === undefined) return DEFAULT_MAX_COMMITS;
  if (!/^\d+$/.test(given) || Number(given) < 1 || Number(given) > 1_000_000) throw new UsageError(`history: --max-commits takes a whole number from 1 to 1000000, not "${given}"`);
  return Number(given);
}

async function runHistory(dir: string, opts: HistoryOptions): Promise<number> {
  const json = Boolean(opts.json);
  const selection = selectionOf(opts);
  const maxCommits = maxCommitsOf(opts.maxCommits);
  const chosen = chosenSpec(opts.spec);
  const loaded = loadSpec(chosen.path);
  if (!loaded.ok) {
    reportLoadFailure(loaded, json);
    return EXIT.unreadable;
  }
  const functionName = loaded.model.c.function;
  const paths = [...CANDIDATE_PATHS];
  let check: CatFile | null = null;
  let blobs: CatFile | null = null;
  try {
    requireRepository(dir);
    const absolute = resolve(dir);
    check = new CatFile(absolute, '--batch-check');
    blobs = new CatFile(absolute, '--batch');
    const listing = await listPoints(absolute, { selection, paths, maxCommits }, check);
    if (listing.points.length === 0) throw new GitError('VF503', `no commit of ${selection.kind === 'tags' ? 'the tags' : (selection.range ?? 'HEAD')} touches ${paths.join(' or ')}`);
    if (!listing.points.some((p) => p.files.length) && (listing.base.kind !== 'commit' || !listing.base.point.files.length)) {
      throw new GitError('VF503', `no ${selection.kind === 'tags' ? 'tag' : 'commit'} checked has ${paths.join(' or ')}`);
    }
    const [{ sweep }, { kernelJudge }, { historyReport }] = await Promise.all([import('../../history/sweep.js'), import('../../history/judge.js'), import('../../history/report.js')]);
    const judge = kernelJudge(loaded.model, { specName: chosen.name, references: eraReferences() });
    const reader = blobs;
    const read = async (file: FileAt): Promise<string | Diagnostic> => {
      // The size is known from the listing: a blob too large is refused unread.
      const size = listing.sizes.get(file.blob) ?? 0;
      if (size > KERNEL_INPUT_BYTES) return oversized(file.path, size, KERNEL_INPUT_BYTES);
      const got = await reader.contents(file.blob);
      if (!got) throw new GitError('VF505', `git cat-file cannot read blob ${file.blob} (${file.path})`);
      const r = decodeInput(file.path, got.bytes, KERNEL_INPUT_BYTES);
      return r.ok ? r.source.text : r.diagnostic;
    };
    const swept = await sweep(listing.points, listing.base, { read, judge }, { functionName, keep: selection.kind === 'changes' ? 'changes' : 'all' });
    const report = historyReport(swept);
    const defined = [swept.base, ...swept.checked].some((c) => c && c.outcome.status !== 'absent');
    if (!defined) {
      const seen = [...new Set(listing.points.flatMap((p) => p.files.map((f) => f.path)))];
      throw new GitError('VF504', `${seen.join(' and ')} ${seen.length > 1 ? 'exist' : 'exists'} but no ${selection.kind === 'tags' ? 'tag' : 'commit'} checked defines ${functionName}()`);
    }
    const header = {
      functionName,
      repository: dir,
      spec: chosen.path,
      specName: chosen.name,
      selection: selectionText(selection, paths, swept.stats, listing.points.length),
      mode: selection.kind,
      notes: listing.notes,
    };
    if (json) printJson(historyJson(report, header, selection, swept.stats, listing.shallow));
    else {
      const { historyText } = await import('../../history/text.js');
      process.stdout.write(`${historyText(report, header, painter(process.stdout))}\n`);
    }
    return exitOf(report.newest);
  } catch (e) {
    if (!(e instanceof GitError)) throw e;
    if (json) printJson({ ok: false, verdict: null, error: { code: e.code, message: e.message } });
    else process.stderr.write(`vfio-fsm history: error ${e.code}: ${e.message}\n`);
    return EXIT.unreadable;
  } finally {
    check?.close();
    blobs?.close();
  }
}

/** The exit code tells the newest commit (or tag) checked: is the tip right? Where it broke is in the report. */
function exitOf(newest: Row | null): number {
  if (!newest) return EXIT.unreadable;
  if (newest.verdict === 'agree') return EXIT.ok;
  if (newest.verdict === 'disagree') return EXIT.fails;
  if (newest.verdict === 'inconclusive') return EXIT.inconclusive;
  return EXIT.unreadable;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function selectionText(s: Selection, paths: readonly string[], stats: { kept: number; blobsRead: number; judged: number }, listed: number): string {
  const work = `${plural(stats.blobsRead, 'file version')} read, ${stats.judged} cross-checked`;
  if (s.kind === 'tags') return `${plural(listed, 'tag')} matching "${s.pattern}"; ${work}`;
  const rev = s.range ?? 'HEAD';
  if (s.kind === 'every') return `${plural(listed, 'commit')} of ${rev}; ${work}`;
  const touch = listed === 1 ? 'touches' : 'touch';
  const change = listed === 1 ? (stats.kept ? 'it changes the function' : 'it does not change the function') : `${stats.kept} of them change${stats.kept === 1 ? 's' : ''} the function`;
  return `${plural(listed, 'commit')} of ${rev} ${touch} ${paths.join(' or ')}, ${change}; ${work}`;
}

function rowJson(r: Row): Record<string, unknown> {
  return {
    id: r.id,
    commit: r.commit,
    date: r.date,
    subject: r.subject,
    tags: r.tags,
    tag: r.tag,
    path: r.path,
    line: r.line,
    change: r.change,
    matches: r.matches,
    verdict: r.verdict,
    reasons: r.reasons,
    unchecked: r.unchecked,
    missingFixes: r.missingFixes,
    findings: r.findings,
    diagnostics: r.diagnostics.map(diagnosticJson),
  };
}

function historyJson(report: HistoryReport, header: { functionName: string; repository: string; spec: string; specName: string | null; notes: readonly string[] }, selection: Selection, stats: object, shallow: boolean): Record<string, unknown> {
  const newest = report.newest;
  const edge = (e: HistoryReport['findings'][number]['introduced'] | null): Record<string, unknown> | null =>
    e && { id: e.row.id, commit: e.row.commit, tag: e.row.tag, subject: e.row.subject, date: e.row.date, exact: e.exact, note: e.note, skipped: e.skipped.map((r) => r.id) };
  return {
    ok: newest?.verdict === 'agree',
    verdict: newest?.verdict ?? null,
    spec: header.spec,
    specName: header.specName,
    function: header.functionName,
    repository: header.repository,
    mode: selection.kind,
    range: selection.kind === 'tags' ? null : selection.range,
    tags: selection.kind === 'tags' ? selection.pattern : null,
    shallow,
    notes: header.notes,
    stats,
    base: report.base && rowJson(report.base),
    commits: report.rows.map(rowJson),
    runs: report.runs.map((r) => ({ from: r.from.id, to: r.to.id, count: r.count, verdict: r.from.verdict, matches: r.from.matches, reasons: r.from.reasons })),
    findings: report.findings.map((f) => ({
      finding: f.finding,
      kind: f.kind,
      subjects: f.subjects,
      introduced: edge(f.introduced),
      fixed: edge(f.fixed),
      present: f.present.map((r) => r.id),
      unknown: f.unknown.map((r) => r.id),
    })),
  };
}
