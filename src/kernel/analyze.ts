import { allFlagSets } from '../analysis/flag-sets.js';
import { deriveTable } from '../analysis/kernel-table.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Model } from '../model/model.js';
import type { Span, Where } from '../common/source.js';
import type { BoundFunction, TableDecl } from './bind/bind-function.js';
import { bindFunction, collectEnumConstants, constResolver, findDeclaration } from './bind/bind-function.js';
import type * as c from './c/ast.js';
import type { Lexed } from './c/lex.js';
import { lex, tokensIn } from './c/lex.js';
import { parseTokens } from './c/parse.js';
import type { IntType, Value } from './c/int-value.js';
import { intType } from './c/int-value.js';
import { checkComment } from './checks/comment.js';
import { classify, compareTables } from './checks/tables.js';
import type { Report } from './c/const-eval.js';
import type { RuntimeArray } from './evaluate/outcome.js';
import type { ExtractedArray } from './bind/extract-array.js';
import type { readHunkArray } from './bind/hunk-array.js';
import { extractArray } from './bind/extract-array.js';
import { commentBefore, locateDeclaration, locateEnums, locateFunction } from './c/locate.js';
import { meaning } from './bind/names.js';
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
export function analyzeView(model: Model, view: CView, hunkReader: HunkReader | null): AnalyzeResult {
  const hunks = hunkReader !== null;
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const notes: string[] = [];
  const report: Report = (code, span, message) => {
    errors.push(diagnosticIn(view, 'error', code, span, message));
  };
  const at = (span: Span): Where => where(view, span);
  const lexed = lex(view.text, view.gaps);
  const name = model.c.function;
  const loc = locateFunction(lexed, name, view.text.length);
  if (!loc && !hunks) {
    if (lexed.unterminated) report('VF202', lexed.unterminated, 'unterminated comment or literal: the rest of the file cannot be read');
    report('VF201', { start: 0, end: 0 }, `no definition of ${name}() in this input (the spec's \`emit c\` names it \`function ${name}\`)`);
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
  const all = allFlagSets(model);
  const words = all.filter((w) => (w & model.lookup.assumes) === model.lookup.assumes);
  const skipped = all.filter((w) => !words.includes(w));

  let fn: c.FunctionDef | null = null;
  if (loc?.complete) {
    const parsed = parseTokens(view.text, tokensIn(lexed, loc.span.start, loc.span.end), 'FunctionDef');
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
  let resolve = constResolver(model, new Map(), report);
  if (fn) {
    const outside = hunks ? new Map<string, Value>() : fileConstants(model, view.text, lexed);
    tableDecl = findDeclaration(fn.body.items, model.c.table);
    flagsDecl = findDeclaration(fn.body.items, model.c.flagsTable);
    // A generator may keep the tables at file scope; the kernel keeps them inside.
    const fileStatics: string[] = [];
    if (!tableDecl && !hunks) tableDecl = declarationIn(view.text, lexed, model.c.table, true, report);
    if (!flagsDecl && !hunks) flagsDecl = declarationIn(view.text, lexed, model.c.flagsTable, true, report);
    if (tableDecl && !fnHas(fn, tableDecl)) fileStatics.push(model.c.table);
    if (flagsDecl && !fnHas(fn, flagsDecl)) fileStatics.push(model.c.flagsTable);
    bound = bindFunction(model, fn, report, outside, fileStatics);
    if (!bound) return { ok: false, diagnostics: errors };
    resolve = bound.resolve;
  } else {
    const constants = new Map<string, Value>();
    for (const e of locateEnums(lexed, false)) {
      const parsed = parseTokens(view.text, tokensIn(lexed, e.start, e.end), 'Declaration');
      if (parsed.ok) collectEnumConstants(model, [parsed.ast], report, constants);
      else if (parsed.error.code !== 'VF200') report(parsed.error.code, parsed.error.span, parsed.error.message);
    }
    resolve = constResolver(model, constants, report);
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

  const compared = compareTables(model, spec, table, flags, words, hunks, at);
  let evaluation: EvaluationReport;
  if (bound && table) {
    const statics = new Map<string, RuntimeArray>([[model.c.table, runtime(table, tableElem)]]);
    if (flags) statics.set(model.c.flagsTable, runtime(flags, flagsElem));
    evaluation = evaluateAll(model, bound, statics, spec, compared.kernel.table, words, skipped, table.dims[0]!, at);
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
  const commentReport = checkComment(model, comment ? { text: view.text.slice(comment.start, comment.end), start: comment.start, hidden: commentHidden } : null, compared.kernel.table, words, at, table ? Math.min(...table.dims) : spec.size);
  return {
    ok: true,
    analysis: { functionAt: loc ? at(loc.name) : null, notes, table: compared.report, evaluation, comment: commentReport },
    warnings,
  };
}

function fnHas(fn: c.FunctionDef, d: TableDecl): boolean {
  return d.decl.span.start >= fn.span.start && d.decl.span.end <= fn.span.end;
}

function declarationIn(text: string, lexed: Lexed, name: string, topLevel: boolean, report: Report): TableDecl | null {
  const found = locateDeclaration(lexed, name, topLevel);
  if (!found) return null;
  const parsed = parseTokens(text, tokensIn(lexed, found.start, found.end), 'Declaration');
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
function fileConstants(model: Model, text: string, lexed: Lexed): Map<string, Value> {
  const out = new Map<string, Value>();
  const ignore: Report = () => undefined;
  // Only anonymous enums: a tagged one (the uapi enum in a self-contained file) names states, not sizes.
  for (const e of locateEnums(lexed, true).filter((x) => /^enum\s*\{/.test(text.slice(x.start, x.start + 40)))) {
    const parsed = parseTokens(text, tokensIn(lexed, e.start, e.end), 'Declaration');
    if (!parsed.ok || parsed.ast.specs.type.kind !== 'enum' || parsed.ast.specs.type.tag) continue;
    const found = new Map<string, Value>();
    collectEnumConstants(model, [parsed.ast], ignore, found);
    for (const [k, v] of found) if (!meaning(model, k)) out.set(k, v);
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
