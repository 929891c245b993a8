import { SourceText } from '../common/source.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { FunctionText, TextChange } from './function-text.js';
import { compareText, functionText } from './function-text.js';
import type { Judge, Outcome } from './judge.js';

/** A file at a commit: its path and its blob id. */
export interface FileAt {
  readonly path: string;
  readonly blob: string;
}

/** One commit (or tag) to check, with the candidate files it has. */
export interface Point {
  readonly commit: string;
  /** ISO 8601 with offset. */
  readonly date: string;
  readonly subject: string;
  /** The tags that point at this commit. */
  readonly tags: readonly string[];
  /** The release this row stands for (with --tags), else null. */
  readonly tag: string | null;
  /** The candidate files present at this commit, in the order the function is looked for in them. */
  readonly files: readonly FileAt[];
}

/**
 * What is known before the first point: nothing there at all (the first
 * point is a root commit), a commit that can be read (the parent of the
 * first commit of a range), or nothing known (a shallow clone's boundary,
 * the first tag).
 */
export type Base = { readonly kind: 'empty' } | { readonly kind: 'commit'; readonly point: Point } | { readonly kind: 'unknown'; readonly why: string };

export interface SweepIo {
  /** A blob's text, or why it cannot be read (binary, too large). */
  readonly read: (file: FileAt) => Promise<string | Diagnostic>;
  readonly judge: Judge;
}

export interface SweepOptions {
  readonly functionName: string;
  /** `changes`: keep only the points where the function's text changes; `all`: every point. */
  readonly keep: 'changes' | 'all';
}

export interface Checked {
  readonly point: Point;
  /** The file the function was read from: the first candidate that defines it (else the first present). */
  readonly path: string | null;
  readonly blob: string | null;
  /** 1-based line of the function's name, when it is defined. */
  readonly line: number | null;
  readonly change: TextChange;
  readonly outcome: Outcome;
}

export interface SweepStats {
  /** Points looked at (commits listed, or tags). */
  readonly points: number;
  /** Points kept in the result. */
  readonly kept: number;
  /** Distinct blobs read. */
  readonly blobsRead: number;
  /** Cross-checks run: one per distinct blob judged. */
  readonly judged: number;
}

export interface Sweep {
  /** The base's own result, when the base is a commit. */
  readonly base: Checked | null;
  readonly baseKind: Base['kind'];
  readonly baseWhy: string | null;
  readonly checked: readonly Checked[];
  readonly stats: SweepStats;
}

type Located = { readonly ok: true; readonly fn: FunctionText } | { readonly ok: false; readonly diagnostic: Diagnostic };

/** Diagnostics name the file they were found in; a result reused for the same blob under another name takes the new name. */
function renamed(o: Outcome, path: string): Outcome {
  if (o.status !== 'unreadable' || o.diagnostics.every((d) => d.file === path)) return o;
  return { ...o, diagnostics: o.diagnostics.map((d) => ({ ...d, file: path })) };
}

/** Stands for a blob that cannot be read, so that the next readable version counts as a change. */
function unreadableText(blob: string): FunctionText {
  return { kind: 'defined', text: `\0unreadable ${blob}`, code: `\0unreadable ${blob}`, line: 0, complete: false };
}

/**
 * Checks the points in order. Each distinct blob is read once and located
 * (a lexical scan); the function is cross-checked once per distinct blob,
 * and with `keep: 'changes'` only where its text changed from the point
 * before. There a point whose function is unchanged is left out, its result
 * being its predecessor's, so results are also reused by the function's
 * text: a blob first met at such a point is never read again.
 */
export async function sweep(points: readonly Point[], base: Base, io: SweepIo, options: SweepOptions): Promise<Sweep> {
  const located = new Map<string, Located>();
  const byBlob = new Map<string, Outcome>();
  const byText = new Map<string, Outcome>();
  let reads = 0;
  let judged = 0;

  /** Locates the function in a blob; the text comes back too when the blob was read just now. */
  const locate = async (file: FileAt): Promise<{ located: Located; text: string | null }> => {
    const known = located.get(file.blob);
    if (known) return { located: known, text: null };
    reads++;
    const text = await io.read(file);
    const result: Located = typeof text === 'string' ? { ok: true, fn: functionText(text, options.functionName) } : { ok: false, diagnostic: text };
    located.set(file.blob, result);
    return { located: result, text: typeof text === 'string' ? text : null };
  };

  const judgeFile = async (file: FileAt, fn: FunctionText, fresh: string | null): Promise<Outcome> => {
    const cached = byBlob.get(file.blob) ?? (options.keep === 'changes' && fn.kind === 'defined' ? byText.get(fn.text) : undefined);
    if (cached) return renamed(cached, file.path);
    // Not met in `all` (every blob is judged when first read) nor, by the argument above, in `changes`; read again rather than fail.
    let text = fresh;
    if (text === null) {
      reads++;
      const again = await io.read(file);
      if (typeof again !== 'string') return { status: 'unreadable', diagnostics: [again] };
      text = again;
    }
    judged++;
    const outcome = await io.judge(new SourceText(file.path, text));
    byBlob.set(file.blob, outcome);
    if (fn.kind === 'defined') byText.set(fn.text, outcome);
    return outcome;
  };

  /** The point's function: the first candidate that defines it; a candidate that cannot be read makes the point unreadable. */
  const check = async (point: Point, before: FunctionText | undefined, keepAll: boolean): Promise<{ checked: Checked | null; fn: FunctionText }> => {
    let chosen: { file: FileAt; fn: FunctionText; text: string | null } | null = null;
    const present: string[] = [];
    for (const file of point.files) {
      const { located: l, text } = await locate(file);
      if (!l.ok) {
        const fn = unreadableText(file.blob);
        const outcome: Outcome = renamed({ status: 'unreadable', diagnostics: [l.diagnostic] }, file.path);
        return { checked: { point, path: file.path, blob: file.blob, line: null, change: compareText(before, fn), outcome }, fn };
      }
      present.push(file.path);
      if (l.fn.kind === 'defined') {
        chosen = { file, fn: l.fn, text };
        break;
      }
    }
    const fn: FunctionText = chosen?.fn ?? { kind: 'absent' };
    const change = compareText(before, fn);
    if (!keepAll && (change === 'unchanged' || change === 'absent')) return { checked: null, fn };
    const outcome: Outcome = chosen ? await judgeFile(chosen.file, chosen.fn, chosen.text) : { status: 'absent', files: present };
    const line = chosen?.fn.kind === 'defined' ? chosen.fn.line : null;
    return { checked: { point, path: chosen?.file.path ?? present[0] ?? null, blob: chosen?.file.blob ?? null, line, change, outcome }, fn };
  };

  let before: FunctionText | undefined = base.kind === 'empty' ? { kind: 'absent' } : undefined;
  let baseChecked: Checked | null = null;
  if (base.kind === 'commit') {
    const b = await check(base.point, undefined, true);
    baseChecked = b.checked;
    before = b.fn;
  }
  const checked: Checked[] = [];
  for (const point of points) {
    const c = await check(point, before, options.keep === 'all');
    if (c.checked) checked.push(c.checked);
    before = c.fn;
  }
  return {
    base: baseChecked,
    baseKind: base.kind,
    baseWhy: base.kind === 'unknown' ? base.why : null,
    checked,
    stats: { points: points.length, kept: checked.length, blobsRead: reads, judged },
  };
}
