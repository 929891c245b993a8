import type * as ohm from 'ohm-js';
import { loadGrammar } from '../../common/grammar-loader.js';
import type { Span } from '../../common/source.js';
import type * as c from './ast.js';
import type { PostfixPart, SpecPart } from './build.js';
import { applyPostfix, cellElem, charExpr, climb, numberExpr, specifiers, wordExpr } from './build.js';
import type { Token } from './lex.js';
import { lex } from './lex.js';
import { MAX_NESTING, MAX_TREE_DEPTH } from './limits.js';
import { literalProblem } from './literal.js';
import { quoted } from './quote.js';
import { describeFound, expectedInWords, foundToken } from './syntax-message.js';
import { tooDeep, tooDeepTree } from './nesting.js';
import { parseCache } from './parse-cache.js';
import type { CNode } from './walk.js';

let cached: { grammar: ohm.Grammar; semantics: ohm.Semantics } | undefined;
let cachedDriver: { grammar: ohm.Grammar; semantics: ohm.Semantics } | undefined;
/**
 * Maps an offset in the matched string back to the source. ohm only matches
 * whole strings, so a located function is matched as a slice (or as its
 * tokens). The tree is built with spans in the matched string, and run()
 * maps every span back: so a tree depends on the matched string alone, and
 * can be kept (parse-cache.ts) for the next run that matches the same.
 */
let toSource: (offset: number) => number = (o) => o;
/** The source text being read, for what must come from it rather than from the matched string (a character constant's value). */
let sourceText = '';

function frontEnd(): { grammar: ohm.Grammar; semantics: ohm.Semantics } {
  if (cached) return cached;
  const grammar = loadGrammar(new URL('./c.ohm', import.meta.url));
  const semantics = grammar.createSemantics();
  semantics.addOperation<unknown>('ast', actions);
  cached = { grammar, semantics };
  return cached;
}

/** The C of the lookup function (c.ohm), or that plus what drivers write (c-driver.ohm). */
export type Dialect = 'lookup' | 'driver';

function driverFrontEnd(): { grammar: ohm.Grammar; semantics: ohm.Semantics } {
  if (cachedDriver) return cachedDriver;
  const base = frontEnd();
  const grammar = loadGrammar(new URL('./c-driver.ohm', import.meta.url), base.grammar);
  const semantics = grammar.extendSemantics(base.semantics);
  semantics.extendOperation<unknown>('ast', driverActions);
  cachedDriver = { grammar, semantics };
  return cachedDriver;
}

/**
 * How a hole (lines a patch does not show) is written in the string the
 * grammar matches: HOLE_MARK, the number of lines, HOLE_MARK (c.ohm's
 * `hole`). Only parseTokens writes it, for a hole token, and a hole token
 * comes only from a gap the view carries beside its text (lex.ts). Every
 * HOLE_MARK that input text brings along, in a token or in a slice, is
 * replaced by `@` before matching (`@` is no part of C), so the grammar
 * meets HOLE_MARK only where a gap put it: the input cannot forge a hole.
 * (A character constant's value is read from the source, not from the
 * matched string, so the replacement changes nothing the reader computes.)
 */
const HOLE_MARK = '\uE000';

function unmarked(s: string): string {
  return s.includes(HOLE_MARK) ? s.replaceAll(HOLE_MARK, '@') : s;
}

export type StartRule = 'FunctionDef' | 'Declaration' | 'EnumDecl' | 'Expr';
/** How a syntax error names the end of what was read, rule by rule (a flag macro's value is an expression, not a function). */
const END_OF: Record<StartRule, string> = { FunctionDef: 'the end of the function', Declaration: 'the end of the declaration', EnumDecl: 'the end of the enum', Expr: 'the end of the expression' };
type Ast<R extends StartRule> = R extends 'FunctionDef' ? c.FunctionDef : R extends 'Declaration' ? c.Declaration : R extends 'EnumDecl' ? c.EnumDecl : c.Expr;

/**
 * Why a text could not be read, located in the text that was matched; the
 * caller maps it to its input. VF200: not C this grammar reads; VF250: an
 * integer constant that is malformed or over 64 bits; VF251: nested deeper
 * than the reader's limits.
 */
export interface CSyntaxError {
  readonly code: 'VF200' | 'VF250' | 'VF251';
  readonly span: Span;
  readonly message: string;
}

export type CParse<T> = { ok: true; ast: T } | { ok: false; error: CSyntaxError };

/** Parses `text[start, end)` as one `rule`. */
export function parseC<R extends StartRule>(text: string, start: number, end: number, rule: R, dialect: Dialect = 'lookup'): CParse<Ast<R>> {
  const slice = text.slice(start, end);
  // Lexed for the checks that must come before the grammar; the grammar reads the text itself.
  const tokens = lex(slice).tokens.map((t) => ({ ...t, start: t.start + start, end: t.end + start }));
  const refused = beforeGrammar(text, tokens);
  if (refused) return { ok: false, error: refused };
  const matched = unmarked(slice);
  return run(text, matched, (o) => start + o, end, rule, dialect, matched === slice);
}

/**
 * Parses the text of `tokens` (from the lexer) as one `rule` with the C
 * grammar: comments, preprocessor lines and runs of blanks between tokens
 * become one space. The grammar accepts all of those, but matching them
 * character by character is most of ohm's work on a commented kernel function.
 */
export function parseTokens<R extends StartRule>(text: string, tokens: readonly Token[], rule: R, dialect: Dialect = 'lookup'): CParse<Ast<R>> {
  const refused = beforeGrammar(text, tokens);
  if (refused) return { ok: false, error: refused };
  let compact = '';
  let marked = false;
  const starts: number[] = [];
  const ends: number[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (k > 0 && t.start > tokens[k - 1]!.end) compact += ' ';
    starts.push(compact.length);
    if (t.kind !== 'hole' && t.text.includes(HOLE_MARK)) marked = true;
    compact += t.kind === 'hole' ? `${HOLE_MARK}${t.lines ?? 0}${HOLE_MARK}` : unmarked(t.text);
    ends.push(compact.length);
  }
  // The last token that starts at or before compact offset `o`.
  const tokenAt = (o: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  // An offset inside a token maps into it, one at or past its end to its end (a hole's written form is not as long as its place).
  const map = (o: number): number => {
    const k = tokenAt(o);
    const t = tokens[k];
    if (!t) return 0;
    return o >= ends[k]! ? t.end : Math.min(t.end, t.start + o - starts[k]!);
  };
  // A failure inside a hole's written form (at its closing mark, say) is the hole's failure: its whole place, not a slice of it.
  const holeAt = (o: number): Span | null => {
    const k = tokenAt(o);
    const t = tokens[k];
    return t?.kind === 'hole' && o < ends[k]! ? { start: t.start, end: t.end } : null;
  };
  const end = tokens.length ? tokens[tokens.length - 1]!.end : 0;
  return run(text, compact, map, end, rule, dialect, !marked, holeAt);
}

/**
 * What is refused before the grammar runs, on the tokens: a malformed or
 * oversized integer constant (whose value nothing could hold), and nesting
 * deeper than the grammar may recurse (nesting.ts). The first by position.
 */
function beforeGrammar(text: string, tokens: readonly Token[]): CSyntaxError | null {
  const deep = tooDeep(tokens);
  const last = deep ? tokens.indexOf(deep.token) : tokens.length - 1;
  for (let k = 0; k <= last; k++) {
    const t = tokens[k]!;
    if (t.kind !== 'number') continue;
    const problem = literalProblem(t.text);
    if (problem) return { code: 'VF250', span: { start: t.start, end: t.end }, message: problem };
  }
  if (!deep) return null;
  const t = deep.token;
  const what = t.kind === 'punct' && '([{'.includes(t.text) ? `\`${t.text}\`` : quoted(text.slice(t.start, Math.min(t.end, t.start + 40)));
  return {
    code: 'VF251',
    span: { start: t.start, end: Math.max(t.end, t.start + 1) },
    message: `nested too deeply: ${what} reaches nesting level ${deep.depth}, over the reader's limit of ${MAX_NESTING} (a bracket counts two levels; a prefix operator, cast, assignment, \`?\` or statement body one)`,
  };
}

/**
 * Matches `matched` as `rule` and builds its tree, spans mapped to the
 * source by `map`. `keepable` says the tree depends on `matched` alone (no
 * hole mark was replaced in it, so no character constant's value differs
 * from what the matched string shows): then it may come from, and go to,
 * the parse cache. Only trees are kept; a failure is worked out each time.
 */
function run<R extends StartRule>(
  text: string,
  matched: string,
  map: (o: number) => number,
  end: number,
  rule: R,
  dialect: Dialect,
  keepable: boolean,
  holeAt: (o: number) => Span | null = () => null,
): CParse<Ast<R>> {
  const cache = keepable ? parseCache() : null;
  const key = `${rule}\0${dialect}\0${matched}`;
  let tree = cache ? readTree(cache.get(key)) : null;
  if (tree === null) {
    const { grammar, semantics } = dialect === 'driver' ? driverFrontEnd() : frontEnd();
    const match = grammar.match(matched, rule);
    if (match.failed()) {
      const position = match.getRightmostFailurePosition();
      const hole = holeAt(position);
      const at = hole ? hole.start : map(position);
      // The hole mark is written only inside a hole's form, so a failure at one is always in a hole.
      const found = hole ? 'lines the patch does not show' : describeFound(text, at, end, END_OF[rule]);
      const width = hole ? hole.end - hole.start : Math.max(1, foundToken(text, at).length);
      const wanted = expectedInWords(match, HOLE_MARK);
      const message = wanted === null ? `C syntax error: ${found} cannot stand here` : `C syntax error: expected ${wanted}, found ${found}`;
      return { ok: false, error: { code: 'VF200', span: { start: at, end: Math.min(end, at + width) }, message } };
    }
    toSource = map;
    sourceText = text;
    try {
      tree = semantics(match)['ast']() as object;
    } finally {
      toSource = (o) => o;
      sourceText = '';
    }
    cache?.put(key, JSON.stringify(tree, (_, v: unknown) => (typeof v === 'bigint' ? { [BIG]: v.toString() } : v)));
  }
  const ast = mapped(tree, map) as Ast<R>;
  const deep = tooDeepTree(roots(rule, ast));
  if (deep) {
    const at = deep.node.span;
    return {
      ok: false,
      error: { code: 'VF251', span: { start: at.start, end: Math.max(at.start + 1, Math.min(at.end, at.start + 40)) }, message: `nested too deeply: the syntax tree is ${deep.depth} levels deep here (a long chain of operators or indexes), over the reader's limit of ${MAX_TREE_DEPTH}` },
    };
  }
  return { ok: true, ast };
}

/** The nodes under which the passes after the parser recurse. */
function roots(rule: StartRule, ast: c.FunctionDef | c.Declaration | c.EnumDecl | c.Expr): CNode[] {
  if (rule === 'FunctionDef') return [(ast as c.FunctionDef).body];
  if (rule === 'EnumDecl') return (ast as c.EnumDecl).enumerators.flatMap((e) => (e.value ? [e.value] : []));
  return [ast as c.Declaration | c.Expr];
}

/** A tree as the cache holds it (JSON, a bigint as `{ "$bigint": digits }`), or null. */
function readTree(text: string | null): object | null {
  if (text === null) return null;
  try {
    const tree = JSON.parse(text) as unknown;
    return tree !== null && typeof tree === 'object' ? tree : null;
  } catch {
    return null;
  }
}

const BIG = '$bigint';

/**
 * A copy of a tree with every span (the value of each `span` key) mapped
 * from the matched string to the source, and each stored bigint revived.
 */
function mapped(node: unknown, map: (o: number) => number): unknown {
  if (node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map((n) => mapped(n, map));
  const record = node as Record<string, unknown>;
  const big = record[BIG];
  if (typeof big === 'string') return BigInt(big);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(record)) {
    const v = record[k];
    out[k] = k === 'span' ? { start: map((v as Span).start), end: map((v as Span).end) } : mapped(v, map);
  }
  return out;
}

/** Where a node stands in the matched string (run() maps it to the source). */
function span(node: ohm.Node): Span {
  return { start: node.source.startIdx, end: node.source.endIdx };
}

function ident(node: ohm.Node): c.Ident {
  return { text: node.sourceString, span: span(node) };
}

function ast<T>(node: ohm.Node): T {
  return node['ast']() as T;
}

function opt<T>(node: ohm.Node): T | null {
  const child = node.children[0];
  return child ? ast<T>(child) : null;
}

const actions: ohm.ActionDict<unknown> = {
  FunctionDef(specs, pointer, name, _open, params, _close, body) {
    return { returns: ast(specs), pointer: ast<number>(pointer), name: ident(name), params: ast(params), body: ast(body), span: span(this) } satisfies c.FunctionDef;
  },
  ParamList_list(list) {
    return list.asIteration().children.map((p) => ast<c.Param>(p));
  },
  ParamList_void(_kw, _close) {
    return [];
  },
  ParamList_none() {
    return [];
  },
  Param(specs, pointer, name, _dims) {
    const id = name.children[0];
    // An array parameter is a pointer in C.
    return { specs: ast(specs), pointer: ast<number>(pointer) + _dims.numChildren, name: id ? ident(id) : null, span: span(this) } satisfies c.Param;
  },
  Declaration(specs, list, _semi) {
    return { kind: 'decl', specs: ast(specs), declarators: list.asIteration().children.map((d) => ast<c.Declarator>(d)), span: span(this) } satisfies c.Declaration;
  },
  InitDeclarator(pointer, name, dims, init) {
    return { name: ident(name), pointer: ast<number>(pointer), dims: dims.children.map((d) => ast<c.Expr | null>(d)), init: opt<c.Initializer>(init), span: span(this) } satisfies c.Declarator;
  },
  Pointer(stars) {
    return stars.numChildren;
  },
  InitValue(_eq, init) {
    return ast(init);
  },
  Dim(_open, size, _close) {
    return opt<c.Expr>(size);
  },
  EnumDecl(spec, _semi) {
    const t = ast<c.TypeSpec>(spec);
    const enumerators = t.kind === 'enum' ? (t.enumerators ?? []) : [];
    return { tag: t.kind === 'enum' ? t.tag : null, enumerators, span: span(this) } satisfies c.EnumDecl;
  },
  DeclSpecifiers(parts) {
    return specifiers(parts.children.map((x) => ast<SpecPart>(x)), span(this));
  },
  DeclSpecifier(part) {
    return ast(part);
  },
  storageClass(kw) {
    return { storage: kw.sourceString };
  },
  typeQualifier(kw) {
    return { qualifier: kw.sourceString };
  },
  TypeSpecifier(t) {
    if (t.ctorName === 'builtinType') return { word: t.sourceString, span: span(t) };
    if (t.ctorName === 'typedefName') return { type: { kind: 'base', name: t.sourceString, span: span(t) } };
    return { type: ast(t) };
  },
  EnumSpecifier_body(_kw, tag, _open, list, _comma, _close) {
    return { kind: 'enum', tag: tag.children[0] ? ident(tag.children[0]) : null, enumerators: list.asIteration().children.map((e) => ast<c.Enumerator>(e)), span: span(this) } satisfies c.TypeSpec;
  },
  EnumSpecifier_ref(_kw, tag) {
    return { kind: 'enum', tag: ident(tag), enumerators: null, span: span(this) } satisfies c.TypeSpec;
  },
  Enumerator(name, value) {
    return { name: ident(name), value: opt<c.Expr>(value), span: span(this) } satisfies c.Enumerator;
  },
  EnumValue(_eq, value) {
    return ast(value);
  },
  StructSpecifier(_kw, tag) {
    return { kind: 'struct', tag: ident(tag), span: span(this) } satisfies c.TypeSpec;
  },
  TypeName(specs, pointer) {
    return { specs: ast(specs), pointer: ast<number>(pointer) } satisfies c.TypeName;
  },
  Block(_open, items, _close) {
    return { kind: 'block', items: items.children.map((i) => ast<c.Stmt>(i)), span: span(this) } satisfies c.Stmt;
  },
  BlockItem(item) {
    return ast(item);
  },
  KeywordStatement_ifElse(_if, _open, test, _close, then, _else, otherwise) {
    return { kind: 'if', test: ast(test), then: ast(then), otherwise: ast(otherwise), span: span(this) } satisfies c.Stmt;
  },
  KeywordStatement_if(_if, _open, test, _close, then) {
    return { kind: 'if', test: ast(test), then: ast(then), otherwise: null, span: span(this) } satisfies c.Stmt;
  },
  KeywordStatement_while(_kw, _open, test, _close, body) {
    return { kind: 'while', test: ast(test), body: ast(body), span: span(this) } satisfies c.Stmt;
  },
  KeywordStatement_do(_do, body, _while, _open, test, _close, _semi) {
    return { kind: 'do', body: ast(body), test: ast(test), span: span(this) } satisfies c.Stmt;
  },
  KeywordStatement_for(_kw, _open, init, test, _semi, update, _close, body) {
    return { kind: 'for', init: ast(init), test: opt<c.Expr>(test), update: opt<c.Expr>(update), body: ast(body), span: span(this) } satisfies c.Stmt;
  },
  ForInit_decl(decl) {
    return ast(decl);
  },
  ForInit_expr(expr, _semi) {
    return opt<c.Expr>(expr);
  },
  KeywordStatement_return(_kw, value, _semi) {
    return { kind: 'return', value: opt<c.Expr>(value), span: span(this) } satisfies c.Stmt;
  },
  KeywordStatement_break(_kw, _semi) {
    return { kind: 'break', span: span(this) } satisfies c.Stmt;
  },
  KeywordStatement_continue(_kw, _semi) {
    return { kind: 'continue', span: span(this) } satisfies c.Stmt;
  },
  Statement_keyword(_ahead, statement) {
    return ast(statement);
  },
  Statement_empty(_semi) {
    return { kind: 'empty', span: span(this) } satisfies c.Stmt;
  },
  Statement_expr(expr, _semi) {
    return { kind: 'expr', expr: ast(expr), span: span(this) } satisfies c.Stmt;
  },
  Hole(hole) {
    const digits = /\d+/.exec(hole.sourceString)?.[0] ?? '0';
    return { kind: 'hole', lines: Number(digits), span: span(this) } satisfies c.Hole;
  },
  SimpleExpr(atom, _ahead) {
    const e = atom.children[0]!;
    if (e.ctorName === 'ident') return { kind: 'name', name: ident(e), span: span(e) } satisfies c.Expr;
    return ast(e);
  },
  Designator_simple(_open, index, _close) {
    return { kind: 'index', index: ast(index), span: span(this) } satisfies c.Designator;
  },
  Initializer(init) {
    if (init.ctorName === 'InitList') return ast(init);
    return { kind: 'expr', expr: ast(init), span: span(this) } satisfies c.Initializer;
  },
  InitList(_open, elems, _close) {
    return { kind: 'list', elems: elems.children.map((e) => ast<c.InitElem>(e)), span: span(this) } satisfies c.Initializer;
  },
  InitElem_cell(cell, _end) {
    return ast(cell);
  },
  cell(_open, _b1, index, _b2, _close, _b3, _eq, _b4, value, _aheadBlank, _aheadEnd) {
    return cellElem(wordExpr(index.sourceString, span(index)), { start: this.source.startIdx, end: _close.source.endIdx }, wordExpr(value.sourceString, span(value)), span(this));
  },
  InitElem_hole(hole) {
    return ast(hole);
  },
  InitElem_item(item, _end) {
    return ast(item);
  },
  InitItem(designation, value) {
    const designators = designation.children[0] ? ast<c.Designator[]>(designation.children[0]) : [];
    return { kind: 'item', designators, value: ast(value), span: span(this) } satisfies c.InitElem;
  },
  Designation(designators, _eq) {
    return designators.children.map((d) => ast<c.Designator>(d));
  },
  Designator_index(_open, index, _close) {
    return { kind: 'index', index: ast(index), span: span(this) } satisfies c.Designator;
  },
  Designator_field(_dot, name) {
    return { kind: 'field', name: ident(name), span: span(this) } satisfies c.Designator;
  },
  Expr(e) {
    return ast(e);
  },
  AssignExpr_assign(target, op, value) {
    return { kind: 'assign', op: op.sourceString as c.AssignOp, target: ast(target), value: ast(value), span: span(this) } satisfies c.Expr;
  },
  CondExpr_cond(test, _q, then, _colon, otherwise) {
    return { kind: 'cond', test: ast(test), then: ast(then), otherwise: ast(otherwise), span: span(this) } satisfies c.Expr;
  },
  BinaryExpr(first, ops, rest) {
    const operands = [ast<c.Expr>(first), ...rest.children.map((r) => ast<c.Expr>(r))];
    return climb(operands, ops.children.map((o) => o.sourceString as c.BinaryOp));
  },
  PrefixExpr_preInc(_op, target) {
    return { kind: 'step', op: '++', prefix: true, target: ast(target), span: span(this) } satisfies c.Expr;
  },
  PrefixExpr_preDec(_op, target) {
    return { kind: 'step', op: '--', prefix: true, target: ast(target), span: span(this) } satisfies c.Expr;
  },
  PrefixExpr_op(op, operand) {
    return { kind: 'unary', op: op.sourceString as c.UnaryOp, operand: ast(operand), span: span(this) } satisfies c.Expr;
  },
  PrefixExpr_cast(_open, type, _close, operand) {
    return { kind: 'cast', type: ast(type), operand: ast(operand), span: span(this) } satisfies c.Expr;
  },
  PrefixExpr_sizeofType(_kw, _open, _type, _close) {
    return { kind: 'sizeof', span: span(this) } satisfies c.Expr;
  },
  PrefixExpr_sizeofExpr(_kw, _operand) {
    return { kind: 'sizeof', span: span(this) } satisfies c.Expr;
  },
  UnaryExpr_prefix(_ahead, e) {
    return ast(e);
  },
  PostfixExpr(primary, _ahead, ops) {
    let e = ast<c.Expr>(primary);
    for (const op of ops.children) e = applyPostfix(e, ast<PostfixPart>(op), op.source.endIdx);
    return e;
  },
  PostfixOp_index(_open, index, _close) {
    return { kind: 'index', index: ast(index) } satisfies PostfixPart;
  },
  PostfixOp_call(_open, args, _close) {
    return { kind: 'call', args: args.asIteration().children.map((a) => ast<c.Expr>(a)) } satisfies PostfixPart;
  },
  PostfixOp_arrow(_arrow, field) {
    return { kind: 'member', field: ident(field), arrow: true } satisfies PostfixPart;
  },
  PostfixOp_dot(_dot, field) {
    return { kind: 'member', field: ident(field), arrow: false } satisfies PostfixPart;
  },
  PostfixOp_postInc(_op) {
    return { kind: 'step', op: '++' } satisfies PostfixPart;
  },
  PostfixOp_postDec(_op) {
    return { kind: 'step', op: '--' } satisfies PostfixPart;
  },
  Literal_paren(_open, e, _close) {
    return ast(e);
  },
  Literal_strings(_s) {
    return { kind: 'string', span: span(this) } satisfies c.Expr;
  },
  PrimaryExpr(e) {
    if (e.ctorName === 'ident') return { kind: 'name', name: ident(e), span: span(this) } satisfies c.Expr;
    return ast(e);
  },
  PrimaryExpr_literal(_ahead, literal) {
    return ast(literal);
  },
  Literal(e) {
    if (e.ctorName === 'charLit') {
      // The value from the source itself (see HOLE_MARK).
      const at = span(e);
      return charExpr(sourceText.slice(toSource(at.start), toSource(at.end)), span(this));
    }
    return ast(e);
  },
  number(_n) {
    return numberExpr(this.sourceString, span(this));
  },
};

/** The rules c-driver.ohm adds to c.ohm: the statements drivers write, and a type as a macro's argument. */
const driverActions: ohm.ActionDict<unknown> = {
  Statement_driver(statement) {
    return ast(statement);
  },
  DriverStatement_switch(_kw, _open, test, _close, body) {
    return { kind: 'switch', test: ast(test), body: ast(body), span: span(this) } satisfies c.Stmt;
  },
  DriverStatement_case(_kw, value, _colon, body) {
    return { kind: 'case', value: ast(value), body: ast(body), span: span(this) } satisfies c.Stmt;
  },
  DriverStatement_default(_kw, _colon, body) {
    return { kind: 'case', value: null, body: ast(body), span: span(this) } satisfies c.Stmt;
  },
  DriverStatement_goto(_kw, label, _semi) {
    return { kind: 'goto', label: ident(label), span: span(this) } satisfies c.Stmt;
  },
  DriverStatement_label(name, _colon, body) {
    return { kind: 'label', name: ident(name), body: ast(body), span: span(this) } satisfies c.Stmt;
  },
  CallArg_type(_ahead, type) {
    return { kind: 'type', type: ast(type), span: span(this) } satisfies c.Expr;
  },
  CallArg(arg) {
    return ast(arg);
  },
};
