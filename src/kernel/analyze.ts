import { kernelFlagWords } from '../analysis/flag-space.js';
import { deriveTable } from '../analysis/kernel-table.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Model } from '../model/model.js';
import type { Span, Where } from '../common/source.js';
import type { BoundFunction, TableDecl } from './bind/bind-function.js';
import type { NameScope } from './bind/bind-function.js';
import { bindFunction, collectEnumConstants, constResolver, findDeclaration } from './bind/bind-function.js';
import type * as c from './c/ast.js';
import type { Lexed, Token } from './c/lex.js';
import { lex, tokensIn } from './c/lex.js';
import { parseTokens } from './c/parse.js';
import type { IntType, Value } from './c/int-value.js';
import { intType } from './c/int-value.js';
import { checkComment } from './checks/comment.js';
import type { CheckContext } from './checks/context.js';
import { stateNamer } from './checks/context.js';
import { classify, compareTables } from './checks/tables.js';
import type { Report } from './c/const-eval.js';
import type { RuntimeArray } from './evaluate/outcome.js';
import type { ExtractedArray } from './bind/extract-array.js';
import type { readHunkArray } from './bind/hunk-array.js';
import { extractArray } from './bind/extract-array.js';
import { commentBefore, locateDeclaration, locateEnums, locateFunction } from './c/locate.js';
import type { ForeignNames } from './bind/names.js';
import { meaning, NO_FOREIGN_NAMES } from './bind/names.js';
import type { CommentReport, EvaluationReport, TableReport } from './checks/result.js';
import { evaluateAll } from './checks/evaluation.js';
import type { CView } from './source/view.js';
import { diagnosticIn, where } from './source/view.js';
import { quoted } from './c/quote.js';

/** Every punctuation character of C (the lexer makes every other character outside comments, literals and directives a token of its own). */
const C_PUNCT = new Set('{}[]()<>=!~+-*/%&|^?:;,.#\\'.split(''));

function strayCharacter(lexed: Lexed): { start: number; end: number; text: string } | null {
  return lexed.tokens.find((t) => t.kind === 'punct' && t.text.length === 1 && !C_PUNCT.has(t.text)) ?? null;
}

/** The three reports on one view of the function, before the uapi header and the verdict. */
export interface Analysis {
  readonly functionAt: Where | null;
  readonly notes: readonly string[];
  readonly table: TableReport;
  readonly evaluation: EvaluationReport;
  readonly comment: CommentReport;
  /** States and flags the code names that the spec lacks but another era declares: a newer kernel. */
  readonly kernelOnly: { readonly states: readonly string[]; readonly flags: readonly string[] };
}

export interface AnalyzeOptions {
  /** Given in patch mode without a base; see analyzeView. */
  readonly hunkReader: HunkReader | null;
  /** Names of other eras, so that a newer kernel read against an older spec is compared, not refused. */
  readonly foreign?: ForeignNames;
  /**
   * Given when the analysis only tells whether the code is this spec's
   * lookup (its era, see era.ts): the comment, which is prose, is not
   * checked, and the function is not evaluated when what was read before
   * already tells it apart (`worthEvaluating` false), or past the first
   * input on which it and the spec disagree.
   */
  readonly probe?: { readonly worthEvaluating: (read: Pick<Analysis, 'table' | 'kernelOnly'>) => boolean };
}

export type AnalyzeResult = { ok: true; analysis: Analysis; warnings: readonly Diagnostic[] } | { ok: false; diagnostics: readonly Diagnostic[] };

/** How patch mode without a base reads a table, entry by entry (hunk-tables.ts, loaded only in that mode). */
export type HunkReader = typeof readHunkArray;

/**
 * Text to reports for one view. `hunkReader` is given in patch mode without
 * a base: the view has `@hidden` lines, so what cannot be seen is reported
 * as hidden instead of as an error, and the evaluation runs only if the
 * whole function could be read.
 */
export function analyzeView(model: Model, view: CView, options: AnalyzeOptions): AnalyzeResult {
  const { hunkReader } = options;
  const foreign = options.foreign ?? NO_FOREIGN_NAMES;
  const names: NameScope = { specNames: true, foreign };
  const hunks = hunkReader !== null;
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const notes: string[] = [];
  const report: Report = (code, span, message) => {
    errors.push(diagnosticIn(view, 'error', code, span, message));
  };
  const at = (span: Span): Where => where(view, span);
  const lexed = lexedView(view);
  const name = model.c.function;
  const loc = locatedFunction(view, lexed, name);
  if (!loc && !hunks) {
    if (lexed.unterminated) report('VF202', lexed.unterminated, 'unterminated comment or literal: the rest of the file cannot be read');
    const missing = whyNoDefinition(model, view.text, lexed);
    report('VF201', missing.span, missing.message);
    return { ok: false, diagnostics: errors };
  }
  for (const other of loc?.others ?? []) warnings.push(diagnosticIn(view, 'warning', 'VF240', other, `another definition of ${name}(); only the first one is checked`));
  if (hunks) {
    // What the hunks show is read in pieces, not all by the grammar: a character that is no C is refused wherever it stands.
    const stray = strayCharacter(lexed);
    if (stray) {
      report('VF200', { start: stray.start, end: stray.end }, `C syntax error: found ${quoted(stray.text)}, which is no part of C`);
      return { ok: false, diagnostics: errors };
    }
  }

  const spec = deriveTable(model);
  const { words, skipped, evaluated, note } = kernelFlagWords(model);
  if (note) notes.push(note);
  const cx: CheckContext = { model, spec, words, evaluated, skipped, where: at, state: stateNamer(model, foreign), foreign, warn: (code, span, message) => void warnings.push(diagnosticIn(view, 'warning', code, span, message)) };

  let fn: c.FunctionDef | null = null;
  if (loc?.complete) {
    const parsed = parsedFunction(view, lexed, name, loc.span);
    if (parsed.ok) fn = parsed.ast;
    else if (!hunks || parsed.error.code !== 'VF200') {
      // Lines left out may cut the syntax, never make a constant malformed or the nesting deep.
      errors.push(diagnosticIn(view, 'error', parsed.error.code, parsed.error.span, parsed.error.message));
      return { ok: false, diagnostics: errors };
    } else notes.push(`the hunks do not show ${name}() whole enough to parse it (${parsed.error.message}); only its tables are read`);
  } else if (loc && !hunks) {
    report('VF203', loc.name, `${name}() has no closing brace`);
    return { ok: false, diagnostics: errors };
  } else if (hunks) notes.push(loc ? `the hunks stop before the end of ${name}(); only its tables are read` : `the hunks do not show the start of ${name}(); only its tables are read`);

  let bound: BoundFunction | null = null;
  let tableDecl: TableDecl | null = null;
  let flagsDecl: TableDecl | null = null;
  let resolve = constResolver(model, new Map(), report, names);
  if (fn) {
    const outside = hunks ? new Map<string, Value>() : fileConstants(model, view, lexed);
    tableDecl = findDeclaration(fn.body.items, model.c.table);
    flagsDecl = findDeclaration(fn.body.items, model.c.flagsTable);
    // A generator may keep the tables at file scope; the kernel keeps them inside.
    const fileStatics: string[] = [];
    if (!tableDecl && !hunks) tableDecl = declarationIn(view, lexed, model.c.table, true, report);
    if (!flagsDecl && !hunks) flagsDecl = declarationIn(view, lexed, model.c.flagsTable, true, report);
    if (tableDecl && !fnHas(fn, tableDecl)) fileStatics.push(model.c.table);
    if (flagsDecl && !fnHas(fn, flagsDecl)) fileStatics.push(model.c.flagsTable);
    bound = bindFunction(model, fn, report, outside, fileStatics, names);
    if (!bound) return { ok: false, diagnostics: errors };
    resolve = bound.resolve;
  } else {
    const constants = new Map<string, Value>();
    for (const e of locateEnums(lexed, false)) {
      const parsed = parsedDeclaration(view, lexed, e.start, e.end);
      if (parsed.ok) collectEnumConstants(model, [parsed.ast], report, constants, names);
      else if (parsed.error.code !== 'VF200') report(parsed.error.code, parsed.error.span, parsed.error.message);
    }
    resolve = constResolver(model, constants, report, names);
  }
  if (errors.length) return { ok: false, diagnostics: errors };

  let table: ExtractedArray | null = null;
  let flags: ExtractedArray | null = null;
  let tableElem: IntType = 'u8';
  let flagsElem: IntType = 'uint';
  let tableStart: number | null = null;
  if (hunkReader) {
    // What the hunks show cannot be trusted to nest: read entry by entry.
    const t = hunkReader(view.text, lexed, model.c.table, 2, resolve, report, spec.size);
    const f = hunkReader(view.text, lexed, model.c.flagsTable, 1, resolve, report, spec.size);
    if (t) [table, tableElem, tableStart] = [t.array, t.elem, t.declStart];
    if (f) [flags, flagsElem] = [f.array, f.elem];
  } else {
    table = tableDecl ? extractArray(tableDecl, 2, resolve, report, null) : null;
    flags = flagsDecl ? extractArray(flagsDecl, 1, resolve, report, null) : null;
    if (tableDecl) [tableElem, tableStart] = [elemOf(tableDecl), tableDecl.decl.span.start];
    if (flagsDecl) flagsElem = elemOf(flagsDecl);
  }
  if (errors.length) return { ok: false, diagnostics: errors };
  if (!table) notes.push(hunks ? `the hunks show no entry of \`${model.c.table}\`` : `${name}() declares no \`${model.c.table}\``);

  const compared = compareTables(cx, table, flags, hunks);
  const kernelOnly = kernelOnlyNames(model, loc && !hunks ? tokensIn(lexed, loc.span.start, loc.span.end) : lexed.tokens, foreign);
  const probe = options.probe;
  let evaluation: EvaluationReport;
  if (bound && table && (!probe || probe.worthEvaluating({ table: compared.report, kernelOnly }))) {
    const statics = new Map<string, RuntimeArray>([[model.c.table, runtime(table, tableElem)]]);
    if (flags) statics.set(model.c.flagsTable, runtime(flags, flagsElem));
    evaluation = evaluateAll(cx, bound, statics, compared.kernel, table.dims[0]!, undefined, probe !== undefined);
    if (compared.kernel.assumed.size) notes.push(`runs that read a cell the hunks do not show are counted as undetermined`);
  } else {
    evaluation = {
      performed: false,
      note: !table ? `no \`${model.c.table}\` to evaluate with` : `${name}() could not be read whole, so it was not evaluated`,
      inputs: 0,
      agreed: 0,
      undetermined: 0,
      skippedFlagSets: [],
      nonTerminating: [],
      mismatches: [],
      budget: null,
    };
  }
  const comment = tableStart === null ? null : commentBefore(lexed, tableStart);
  const commentHidden = comment !== null && view.gaps.some((g) => g.start >= comment.start && g.start < comment.end);
  const commentReport = probe
    ? NOT_CHECKED
    : checkComment(cx, comment ? { text: view.text.slice(comment.start, comment.end), start: comment.start, hidden: commentHidden } : null, compared.kernel.table, table ? Math.min(...table.dims) : spec.size);
  return {
    ok: true,
    analysis: { functionAt: loc ? at(loc.name) : null, notes, table: compared.report, evaluation, comment: commentReport, kernelOnly },
    warnings,
  };
}

/** The comment report of a probe, which does not read the comment. */
const NOT_CHECKED: CommentReport = { found: false, at: null, partial: false, arcs: 0, paths: 0, blocked: 0, warnings: [] };

/**
 * Lexing and parsing depend on the view and the function's name only, not
 * on the spec: when one input is analyzed against several specs (to say
 * which era it is), they are done once.
 */
const lexedViews = new WeakMap<CView, Lexed>();
const parsedFunctions = new WeakMap<CView, Map<string, ReturnType<typeof parseTokens<'FunctionDef'>>>>();

function lexedView(view: CView): Lexed {
  let lexed = lexedViews.get(view);
  if (!lexed) {
    lexed = lex(view.text, view.gaps);
    lexedViews.set(view, lexed);
  }
  return lexed;
}

const locatedFunctions = new WeakMap<CView, Map<string, ReturnType<typeof locateFunction>>>();
const parsedDeclarations = new WeakMap<CView, Map<string, ReturnType<typeof parseTokens<'Declaration'>>>>();

function locatedFunction(view: CView, lexed: Lexed, name: string): ReturnType<typeof locateFunction> {
  let byName = locatedFunctions.get(view);
  if (!byName) locatedFunctions.set(view, (byName = new Map()));
  if (!byName.has(name)) byName.set(name, locateFunction(lexed, name, view.text.length));
  return byName.get(name)!;
}

/** The declaration from `start` to `end` (offsets of tokens of `lexed`), parsed once per view. */
function parsedDeclaration(view: CView, lexed: Lexed, start: number, end: number): ReturnType<typeof parseTokens<'Declaration'>> {
  let bySpan = parsedDeclarations.get(view);
  if (!bySpan) parsedDeclarations.set(view, (bySpan = new Map()));
  let parsed = bySpan.get(`${start}:${end}`);
  if (!parsed) bySpan.set(`${start}:${end}`, (parsed = parseTokens(view.text, tokensIn(lexed, start, end), 'Declaration')));
  return parsed;
}

function parsedFunction(view: CView, lexed: Lexed, name: string, span: Span): ReturnType<typeof parseTokens<'FunctionDef'>> {
  let byName = parsedFunctions.get(view);
  if (!byName) parsedFunctions.set(view, (byName = new Map()));
  let parsed = byName.get(name);
  if (!parsed) {
    parsed = parseLookup(view.text, tokensIn(lexed, span.start, span.end));
    byName.set(name, parsed);
  }
  return parsed;
}

/** The states and flags of other eras the function names (a newer kernel's lookup), or what the hunks show of it. */
function kernelOnlyNames(model: Model, tokens: readonly Token[], foreign: ForeignNames): Analysis['kernelOnly'] {
  const states = new Set<string>();
  const flags = new Set<string>();
  for (const t of tokens) {
    if (t.kind !== 'ident') continue;
    const m = meaning(model, t.text, foreign);
    if (m?.kind === 'state' && m.foreign) states.add(t.text.slice(model.c.statePrefix.length));
    if (m?.kind === 'flag' && m.foreign) flags.add(t.text.slice(model.c.flagPrefix.length));
  }
  const byValue = (map: ReadonlyMap<string, number>) => (a: string, b: string) => map.get(a)! - map.get(b)!;
  return { states: [...states].sort(byValue(foreign.states)), flags: [...flags].sort(byValue(foreign.flags)) };
}

/**
 * Why an input has no definition of the function, in words a reviewer can
 * act on: it is empty, it only declares the function (a header), or it is
 * the uapi header given as kernel C.
 */
function whyNoDefinition(model: Model, text: string, lexed: Lexed): { span: Span; message: string } {
  const name = model.c.function;
  if (text.trim() === '') return { span: { start: 0, end: 0 }, message: `the input is empty: there is no ${name}() to check` };
  const tokens = lexed.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'ident' || t.text !== name || tokens[i + 1]?.text !== '(') continue;
    let depth = 0;
    let j = i + 1;
    for (; j < tokens.length; j++) {
      if (tokens[j]!.text === '(') depth++;
      else if (tokens[j]!.text === ')' && --depth === 0) break;
    }
    if (tokens[j + 1]?.text === ';') return { span: { start: t.start, end: t.end }, message: `the input declares ${name}() (a prototype without a body) but does not define it: give the file that defines it` };
  }
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (tokens[i]!.text === 'enum' && tokens[i + 1]!.text === model.c.enum && tokens[i + 2]!.text === '{') {
      const t = tokens[i]!;
      return { span: { start: t.start, end: tokens[i + 1]!.end }, message: `this looks like the uapi header (it declares \`enum ${model.c.enum}\` here) and defines no ${name}(): did you mean --uapi?` };
    }
  }
  return { span: { start: 0, end: 0 }, message: `no definition of ${name}() in this input (the spec's \`emit c\` names it \`function ${name}\`)` };
}

/**
 * The lookup function in its own language; when that refuses it, in the
 * drivers' (c-driver.ohm), so that a `switch` or a `goto` is reported by bind
 * as not evaluated (VF213) instead of as a syntax error. A function neither
 * reads gets the lookup language's error, word for word as before.
 */
function parseLookup(text: string, tokens: readonly Token[]): ReturnType<typeof parseTokens<'FunctionDef'>> {
  const parsed = parseTokens(text, tokens, 'FunctionDef');
  if (parsed.ok) return parsed;
  const driver = parseTokens(text, tokens, 'FunctionDef', 'driver');
  return driver.ok ? driver : parsed;
}

function fnHas(fn: c.FunctionDef, d: TableDecl): boolean {
  return d.decl.span.start >= fn.span.start && d.decl.span.end <= fn.span.end;
}

function declarationIn(view: CView, lexed: Lexed, name: string, topLevel: boolean, report: Report): TableDecl | null {
  const found = locateDeclaration(lexed, name, topLevel);
  if (!found) return null;
  const parsed = parsedDeclaration(view, lexed, found.start, found.end);
  if (!parsed.ok) {
    report(parsed.error.code, parsed.error.span, parsed.error.message);
    return null;
  }
  const declarator = parsed.ast.declarators.find((d) => d.name.text === name);
  return declarator ? { decl: parsed.ast, declarator } : null;
}

/**
 * Constants of anonymous enums at file scope, for a table dimension written
 * outside the function. Names the spec gives a meaning keep the spec's: the
 * uapi check compares those.
 */
function fileConstants(model: Model, view: CView, lexed: Lexed): Map<string, Value> {
  const out = new Map<string, Value>();
  const ignore: Report = () => undefined;
  // Only anonymous enums: a tagged one (the uapi enum in a self-contained file) names states, not sizes.
  for (const e of locateEnums(lexed, true).filter((x) => /^enum\s*\{/.test(view.text.slice(x.start, x.start + 40)))) {
    const parsed = parsedDeclaration(view, lexed, e.start, e.end);
    if (!parsed.ok || parsed.ast.specs.type.kind !== 'enum' || parsed.ast.specs.type.tag) continue;
    const found = new Map<string, Value>();
    collectEnumConstants(model, [parsed.ast], ignore, found);
    for (const [k, v] of found) if (!meaning(model, k, NO_FOREIGN_NAMES)) out.set(k, v);
  }
  return out;
}

function elemOf(d: TableDecl): IntType {
  const t = intType(d.decl.specs.type);
  return t === 'void' || t === 'struct' ? 'int' : t;
}

/** The array as the evaluator reads it: unwritten cells are 0, cells the patch hides are unknown. */
function runtime(a: ExtractedArray, elem: IntType): RuntimeArray {
  const rows = a.dims[0]!;
  const columns = a.dims[1] ?? 1;
  const cells: (number | null)[] = [];
  for (let r = 0; r < rows; r++) {
    for (let col = 0; col < columns; col++) {
      const key = a.dims.length === 2 ? r * columns + col : r;
      const entry = a.entries.get(key);
      cells.push(entry ? entry.value : classify(a, r, col) === 'hidden' ? null : 0);
    }
  }
  return { elem, dims: a.dims, cells };
}
