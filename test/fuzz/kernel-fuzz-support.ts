// Random damage to kernel-shaped C files, patches and mails, and the
// contract the kernel reader keeps on any of them (kernel-c.test.ts,
// kernel-patch.test.ts).
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect } from 'vitest';
import { SourceText } from '../../src/common/source.js';
import { formatDiagnostic } from '../../src/diagnostics/format.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { crossCheck } from '../../src/kernel/cross-check.js';
import type { Model } from '../../src/model/model.js';
import { kernelText } from '../../src/report/kernel-report.js';
import { bundled } from '../support/compile.js';
import { DEEP } from '../support/depth.js';

/** No single case may take longer than this (measured per case; the whole run has no time limit). */
export const CASE_LIMIT_MS = 2000;

/**
 * Cases per kind: 100,000 under npm run test:deep, 1,500 by default. (Not
 * depth.ts's tenth: a kernel case costs a few milliseconds, a spec case a
 * fraction of one, and the default run must stay under a minute on two cores.)
 */
export function fuzzRuns(): number {
  return DEEP ? 100_000 : 1_500;
}

/** vitest's time allowance for one whole fuzz test (each case has CASE_LIMIT_MS). */
export const FUZZ_TIMEOUT_MS = DEEP ? 3_600_000 : 300_000;

/** C the reader meets, and C meant to break it: tokens, brackets, holes spelled in the text, bad constants, the hole marker. */
const C_SNIPPETS = [
  '(', ')', '[', ']', '{', '}', ';', ',', '=', '==', '?', ':', '-', '!', '~', '*', '&', '++', '--', '->', '.', '<<', '|', '||',
  '((((', '))))', '[[[[', '{{{{', '- - - -', '(u8)(u8)', 'a = b = c = ', 'x ? y : ', 'if (cur_fsm) ', 'else ', 'else if (new_fsm) ', 'while (1) ', 'do ', 'for (;;) ',
  '@hidden(3)', '@hidden(1)\n', '\n@hidden(2)\n', '\uE000', '\uE0003\uE000', "'\uE000'", '"\uE000"', '@', '$', '`', '\\',
  '[08x] = VFIO_DEVICE_STATE_STOP,', '08x', '08', '0x', '09', '1e5', '0b101', '99999999999999999999999', '0x1ffffffffffffffffffff', '18446744073709551615', '18446744073709551616',
  '[4096]', '[100000000] = { 0 },', '[][8]', '[255]', '[256]', '[-1]', 'BIT(64)', 'BIT(63)', '1 << 40', '/ 0',
  'VFIO_DEVICE_STATE_STOP', 'VFIO_DEVICE_STATE_NOPE', 'VFIO_MIGRATION_P2P', 'cur_fsm', 'new_fsm', '*next_fsm', 'device->migration_flags', 'vfio_from_fsm_table', 'state_flags_table',
  'return -EINVAL;', 'return 0;', 'break;', 'continue;', 'static const u8 ', 'enum { N = 300 };', 'u32 i = 0; while (i < 4000000000U) i++;', 'while (cur_fsm) ;',
  '/*', '*/', '//', '#if 0\n', '\n#define X \\\n', '"', "'", '\t', '\n', ' ', '\r\n', '\u00e9', '\ud800', '\u0001',
];

/** Lines of a patch or a mail, whole, to insert or to put in place of others. */
const PATCH_LINES = [
  '@@ -1,3 +1,3 @@', '@@ -18446744073709551616,7 +236,8 @@ int vfio_mig_get_next_state(struct vfio_device *device,', '@@ -0,0 +1,99999999 @@', '@@ -5 +5 @@',
  '@@ -236,7 +236,8 @@ int vfio_mig_get_next_state(struct vfio_device *device,', '--- a/drivers/vfio/vfio_main.c', '+++ b/drivers/vfio/vfio_main.c', 'diff --git a/x b/x',
  '+@hidden(2)', '+\t\t\t@hidden(1)', '+\t\t\t[08x] = VFIO_DEVICE_STATE_STOP,', '+\t\t[VFIO_DEVICE_STATE_STOP] = {', '+\t\t},', '+\t};', '+((((((((((((', '+\uE000', ' ', '+', '-', '\\ No newline at end of file',
  'From 0123456789abcdef Mon Sep 17 00:00:00 2001', 'Subject: [PATCH] x', 'Content-Transfer-Encoding: base64', 'Content-Transfer-Encoding: quoted-printable', '=3D=3D=', '-- ', '',
];

/** One to four code points up to `max`, lone surrogates included. */
function randomCharacters(max: number): fc.Arbitrary<string> {
  return fc.array(fc.integer({ min: 0, max }), { minLength: 1, maxLength: 4 }).map((cps) => String.fromCodePoint(...cps));
}

/** One kind of damage; positions are taken modulo the region they fall in when applied. */
type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'delete-line'; line: number }
  | { kind: 'duplicate-line'; line: number }
  | { kind: 'swap-lines'; line: number }
  | { kind: 'replace-line'; line: number; text: string }
  | { kind: 'insert-line'; line: number; text: string }
  | { kind: 'flip-byte'; at: number; bit: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'digits'; at: number; text: string };

const NUMBERS = ['0', '1', '9', '99999999', '9007199254740991', '9007199254740993', '18446744073709551616', '1'.repeat(400)];

function mutations(snippets: readonly string[], lines: readonly string[]): fc.Arbitrary<Mutation> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete-line' as const), line: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('duplicate-line' as const), line: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('swap-lines' as const), line: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('replace-line' as const), line: fc.nat(), text: fc.constantFrom(...lines) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('insert-line' as const), line: fc.nat(), text: fc.constantFrom(...lines) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('flip-byte' as const), at: fc.nat(), bit: fc.nat({ max: 7 }) }) },
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...snippets) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: randomCharacters(0x7f) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: randomCharacters(0x10ffff) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('digits' as const), at: fc.nat(), text: fc.constantFrom(...NUMBERS) }) },
  );
}

/** Where damage goes: most of it inside `focus` (the lookup function, or the hunks), the rest anywhere. */
interface Focus {
  readonly start: number;
  readonly end: number;
}

function applyMutation(text: string, m: Mutation, focus: Focus | null): string {
  const lo = focus ? Math.min(focus.start, text.length) : 0;
  const hi = focus ? Math.min(Math.max(lo, focus.end), text.length) : text.length;
  const pick = (n: number): number => lo + (n % (hi - lo + 1));
  const lines = (): string[] => text.split('\n');
  const lineAt = (n: number, all: readonly string[]): number => {
    // A line inside the focus: count the lines before lo and after hi.
    const first = text.slice(0, lo).split('\n').length - 1;
    const last = text.slice(0, hi).split('\n').length - 1;
    return Math.min(all.length - 1, first + (n % (last - first + 1)));
  };
  switch (m.kind) {
    case 'truncate':
      return text.slice(0, pick(m.at));
    case 'delete': {
      const i = pick(m.at);
      return text.slice(0, i) + text.slice(i + m.length);
    }
    case 'duplicate': {
      const i = pick(m.at);
      return text.slice(0, i + m.length) + text.slice(i, i + m.length) + text.slice(i + m.length);
    }
    case 'delete-line':
    case 'duplicate-line':
    case 'swap-lines':
    case 'replace-line':
    case 'insert-line': {
      const all = lines();
      const i = lineAt(m.line, all);
      if (m.kind === 'delete-line') all.splice(i, 1);
      else if (m.kind === 'duplicate-line') all.splice(i, 0, all[i]!);
      else if (m.kind === 'swap-lines' && i + 1 < all.length) [all[i], all[i + 1]] = [all[i + 1]!, all[i]!];
      else if (m.kind === 'replace-line') all[i] = m.text;
      else if (m.kind === 'insert-line') all.splice(i, 0, m.text);
      return all.join('\n');
    }
    case 'flip-byte': {
      const i = pick(m.at);
      const code = text.charCodeAt(i);
      if (Number.isNaN(code)) return text;
      return text.slice(0, i) + String.fromCharCode(code ^ (1 << m.bit)) + text.slice(i + 1);
    }
    case 'insert': {
      const i = pick(m.at);
      return text.slice(0, i) + m.text + text.slice(i);
    }
    case 'digits': {
      // In place of a run of digits near the place picked (a hunk header's numbers, a constant, a designator).
      const i = pick(m.at);
      const run = /\d+/g;
      run.lastIndex = i;
      const found = run.exec(text) ?? /\d+/.exec(text);
      if (!found) return text;
      return text.slice(0, found.index) + m.text + text.slice(found.index + found[0].length);
    }
  }
}

export interface Seed {
  readonly path: string;
  readonly text: string;
  readonly spec: string;
  /** A file the patch applies to, for some runs with --base. */
  readonly base?: string;
  readonly focus: Focus | null;
}

/** A seed with one to four kinds of damage: the damaged text, and whether the run gives the base. */
export function damaged(seeds: readonly Seed[], kind: 'c' | 'patch'): fc.Arbitrary<{ seed: Seed; text: string; withBase: boolean }> {
  const mutation = kind === 'c' ? mutations(C_SNIPPETS, C_SNIPPETS) : mutations([...C_SNIPPETS, ...PATCH_LINES.map((l) => `\n${l}\n`)], PATCH_LINES);
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean(), fc.nat({ max: 9 }))
    .map(([seed, ms, withBase, anywhere]) => {
      // One case in ten damages the whole text, the rest the focus.
      const focus = anywhere === 0 ? null : seed.focus;
      return { seed, text: ms.reduce((t, m) => applyMutation(t, m, focus), seed.text), withBase: withBase && seed.base !== undefined };
    });
}

const MODELS = new Map<string, Model>();

export function modelOf(spec: string): Model {
  let m = MODELS.get(spec);
  if (!m) MODELS.set(spec, (m = bundled(spec)));
  return m;
}

/** 1-based line and column of an offset, counted independently of SourceText. */
function placeOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/**
 * Words that belong to the reader's machinery, never to a message or a report
 * about the input. (The reader's hole marker is a private-use character,
 * checked on its own below; `@hidden`, the spelling of an older marker that
 * input could forge, is checked the same way.)
 */
const INTERNAL = /internal error|Maximum call stack|BigInt|RangeError|TypeError|(?<!is )\bundefined\b(?! behaviour)|\bNaN\b|Infinity|\[object |\bat .*\.(ts|js):\d+/;

/** The grammar's rule names (c.ohm), which a message must never show. */
const RULES = new RegExp(
  `\\b(${[...readFileSync('src/kernel/c/c.ohm', 'utf8').matchAll(/^\s{2}([A-Za-z]+)\s*(?:\([^)]*\))?\s*:?=/gm)]
    .map((m) => m[1]!)
    .filter((r) => /[A-Z]/.test(r))
    .join('|')})\\b`,
);

/**
 * The message without the parts it quotes from the input (a heading of its
 * comment, say): those may hold anything. A heading is quoted as its words,
 * its lines joined without what opens and closes a comment's lines (and, in
 * a patch, each line's `+`, `-` or space): so the input is compared that way
 * too.
 */
function ownWords(message: string, sources: readonly SourceText[]): string {
  const flat = (t: string): string => t.replace(/\s+/g, ' ');
  // An input's lines as the comment check reads them (checks/comment.ts), after a patch line's `+`, `-` or space: without `/*`, `*/` and the `*` that opens a line.
  const words = (t: string): string =>
    flat(
      t
        .split('\n')
        .map((line) => line.replace(/^[+ -]/, '').replace(/^\s*\/\*+|\*+\/\s*$/g, '').replace(/^\s*\*/, ''))
        .join(' '),
    );
  const inputs = sources.flatMap((s) => [flat(s.text), words(s.text)]);
  return message.replace(/"([^"]+)"/g, (whole, quoted: string) => (inputs.some((t) => t.includes(flat(quoted))) ? '""' : whole));
}

function checkDiagnostic(d: Diagnostic, sources: readonly SourceText[]): void {
  expect(d.code).toMatch(/^VF\d{3}$/);
  expect(d.message.length).toBeGreaterThan(0);
  expect(ownWords(d.message, sources)).not.toMatch(INTERNAL);
  expect(d.message).not.toMatch(RULES);
  // The reader's hole marker never shows, unless the input brought one along (a file name may be quoted as it is).
  for (const marker of ['\uE000', '@hidden']) {
    if (!sources.some((s) => s.text.includes(marker))) expect(d.message).not.toContain(marker);
  }
  const source = sources.find((s) => s.path === d.file);
  expect(source, `a diagnostic in ${d.file}, which is none of the inputs`).toBeDefined();
  const text = source!.text;
  expect(d.span.start).toBeGreaterThanOrEqual(0);
  expect(d.span.end).toBeGreaterThanOrEqual(d.span.start);
  expect(d.span.end).toBeLessThanOrEqual(text.length);
  expect({ line: d.line, column: d.column }).toEqual(placeOf(text, d.span.start));
  expect({ line: d.endLine, column: d.endColumn }).toEqual(placeOf(text, d.span.end));
  expect(formatDiagnostic(d, source!)).toContain(`${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: `);
}

/**
 * The reader's contract on any input: crossCheck does not throw and ends
 * within CASE_LIMIT_MS; it gives either a report (which renders as text and
 * JSON, with located warnings) or at least one error; every diagnostic lies
 * inside its file, where its line and column say, in words with nothing of
 * the reader's own machinery. Returns what the case came to, for counts.
 */
export async function checkKernel(name: string, text: string, spec: string, base: string | undefined): Promise<{ ms: number; outcome: string }> {
  const model = modelOf(spec);
  const started = performance.now();
  const r = await crossCheck(model, {
    input: new SourceText(name, text),
    base: base === undefined ? undefined : new SourceText(base, readFileSync(base, 'utf8')),
  });
  const ms = performance.now() - started;
  expect(ms, `one case took ${ms.toFixed(0)} ms`).toBeLessThan(CASE_LIMIT_MS);
  if (!r.ok) {
    expect(r.diagnostics.length).toBeGreaterThan(0);
    for (const d of r.diagnostics) checkDiagnostic(d, r.sources);
    expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    return { ms, outcome: r.diagnostics[0]!.code };
  }
  for (const d of r.warnings) checkDiagnostic(d, r.sources);
  const report = kernelText(r.report);
  // The report may quote the input (a comment's lines): only the machinery's words are checked, and the hole marker unless the input brought one.
  expect(report).not.toMatch(INTERNAL);
  if (!r.sources.some((s) => s.text.includes('\uE000'))) expect(report).not.toContain('\uE000');
  if (r.report.mode !== 'patch-hunks') {
    // Nothing is ever "not shown" in a whole file, whatever the file spells.
    expect(r.report.evaluation.undetermined).toBe(0);
    expect(r.report.table.hiddenCells).toBeUndefined();
    expect(r.report.table.flagsTable?.hidden ?? []).toEqual([]);
    expect(r.report.comment.partial).toBe(false);
  }
  JSON.stringify(r.report);
  const e = r.report.evaluation;
  expect(e.agreed + e.undetermined + e.mismatches.length + (e.budget?.undecided ?? 0)).toBe(e.inputs);
  return { ms, outcome: e.budget ? 'inconclusive' : r.report.ok ? 'agree' : 'disagree' };
}

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(`${dir}/${e.name}`, ext) : ext.test(e.name) ? [`${dir}/${e.name}`] : []))
    .sort();
}

/** The spec a fixture is written against, by its name. */
function specFor(path: string): string {
  const name = path.split('/').pop()!;
  if (name.startsWith('v2')) return 'spec/history/v2-protocol.fsm';
  if (name.startsWith('seed-v6') || path.includes('/mails/')) return 'spec/history/seed-v6.fsm';
  if (name.startsWith('linux-5.18') || path.includes('/series/base') || path.includes('uapi-base')) return 'spec/history/linux-5.18.fsm';
  if (name.startsWith('linux-6.2')) return 'spec/history/linux-6.2.fsm';
  return 'spec/vfio-migration.fsm';
}

/** The span of `vfio_mig_get_next_state` in a C text, from its signature to the end of its body (or the whole text). */
function functionFocus(text: string): Focus | null {
  const start = text.search(/^[a-z].*\bvfio_mig_get_next_state\(/m);
  if (start < 0) return null;
  const end = text.indexOf('\n}\n', start);
  return { start, end: end < 0 ? text.length : end + 3 };
}

/**
 * Kernel-shaped C: every era's fixture and mutant, the verdict fixtures, the
 * seed mail's files, the hostile inputs (but those that spin: each of them
 * costs the whole step budget, a few tenths of a second, damaged or not).
 */
export function cSeeds(): Seed[] {
  return files('test/fixtures/kernel', /\.c$/).filter((path) => !path.includes('/hostile/spin-')).map((path) => {
    const text = readFileSync(path, 'utf8');
    return { path, text, spec: specFor(path), focus: functionFocus(text) };
  });
}

/** What a patch applies to, where the fixture says. */
const BASES: Readonly<Record<string, string>> = {
  'test/fixtures/kernel/patches/flip-cell.diff': 'test/fixtures/kernel/linux-7.2.c',
  'test/fixtures/kernel/patches/loop-fix.diff': 'test/fixtures/kernel/linux-6.2.c',
  'test/fixtures/kernel/verdicts/loop-fix.mbox': 'test/fixtures/kernel/verdicts/fixed-era-old-loop.c',
  'test/fixtures/kernel/verdicts/loop-revert.diff': 'test/fixtures/kernel/verdicts/fixed-era.c',
  'test/fixtures/kernel/verdicts/series/series.mbox': 'test/fixtures/kernel/verdicts/series/base.c',
  'test/fixtures/kernel/verdicts/uapi.mbox': 'test/fixtures/kernel/verdicts/series/base.c',
  'test/fixtures/kernel/mails/p2p-seed-shape.mbox': 'test/fixtures/kernel/mails/p2p-seed-base.c',
};

/** Patches and mails: the patch fixtures, the verdict mails and diffs, the seed-shaped mail; damage goes to the hunks. */
export function patchSeeds(): Seed[] {
  return [...files('test/fixtures/kernel', /\.(diff|patch|mbox)$/)].map((path) => {
    const text = readFileSync(path, 'utf8');
    const first = text.search(/^@@ /m);
    return { path, text, spec: specFor(path), base: BASES[path], focus: first < 0 ? null : { start: Math.max(0, text.lastIndexOf('\n---', first)), end: text.length } };
  });
}

/** Counts of what the cases came to, and the slowest one, for the test's title and a sanity check. */
export class Tally {
  readonly outcomes = new Map<string, number>();
  slowest = 0;
  cases = 0;

  add(r: { ms: number; outcome: string }): void {
    this.cases++;
    this.slowest = Math.max(this.slowest, r.ms);
    this.outcomes.set(r.outcome, (this.outcomes.get(r.outcome) ?? 0) + 1);
  }
}
