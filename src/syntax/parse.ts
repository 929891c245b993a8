import type * as ohm from 'ohm-js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { locate } from '../diagnostics/diagnostic.js';
import type * as ast from './ast.js';
import { loadGrammar } from '../common/grammar-loader.js';
import type { SourceText, Span } from '../common/source.js';

export type ParseResult = { ok: true; ast: ast.SpecAst } | { ok: false; diagnostics: Diagnostic[] };
export type Parser = (source: SourceText) => ParseResult;

let cached: Parser | undefined;

/** Text to syntax tree. A syntax error is reported once, at ohm's rightmost failure. */
export function parseSpec(source: SourceText): ParseResult {
  cached ??= createParser(loadGrammar(new URL('./fsm.ohm', import.meta.url)));
  return cached(source);
}

/**
 * A parser for `grammar` with this module's semantics. parseSpec uses the
 * project's grammar; tests pass a reference grammar to show that a rewrite of
 * fsm.ohm accepts the same language and builds the same trees.
 */
export function createParser(grammar: ohm.Grammar): Parser {
  const semantics = grammar.createSemantics();
  semantics.addOperation<unknown>('ast', astActions);
  return (source) => {
    const match = grammar.match(source.text);
    if (match.failed()) return { ok: false, diagnostics: [syntaxError(source, match)] };
    return { ok: true, ast: semantics(match)['ast']() as ast.SpecAst };
  };
}

function syntaxError(source: SourceText, match: ohm.FailedMatchResult): Diagnostic {
  const at = match.getRightmostFailurePosition();
  const token = foundToken(source.text, at);
  const expected = humanExpected(match.getExpectedText());
  return locate(source, 'error', 'VF001', { start: at, end: at + token.width }, `syntax error: expected ${expected}, found ${token.text}`);
}

/** What stands at the failure, for the message, and how wide the caret under it is. */
function foundToken(text: string, at: number): { text: string; width: number } {
  if (at >= text.length) return { text: 'end of file', width: 0 };
  const rest = text.slice(at, at + 200);
  if (rest.startsWith('\n') || rest.startsWith('\r\n')) return { text: 'end of line', width: 0 };
  // ohm stops at an unclosed block comment without a word about it.
  if (rest.startsWith('/*') && !text.includes('*/', at + 2)) return { text: '"/*", a comment that is never closed', width: 2 };
  const token = /^(?:<->|->|<<|[\p{L}\p{N}_.-]+)/u.exec(rest)?.[0] ?? String.fromCodePoint(text.codePointAt(at)!);
  return { text: quote(token.slice(0, 40)), width: token.length };
}

/** Quotes a token, showing invisible characters and lone surrogates as escapes, not raw. */
function quote(token: string): string {
  return JSON.stringify(token).replace(/[\u007f-\u009f\u00ad\u2028\u2029\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The keywords that open a statement: when ohm expects any of them, it expects them all. */
const STATEMENT_KEYWORDS = ['machine', 'emit', 'flags', 'states', 'order', 'arcs', 'block', 'group', 'rule', 'lookup'].map((k) => `"${k}"`);

/**
 * ohm lists every alternative it tried; keep one mention of each, say "a
 * statement" for the ten statement keywords (and the end of input that goes
 * with them), and say "or" once.
 */
function humanExpected(text: string): string {
  let parts = [...new Set(text.split(/, or |, | or /).map((p) => p.trim()).filter((p) => p.length > 0))];
  if (STATEMENT_KEYWORDS.every((k) => parts.includes(k))) {
    parts = [...parts.filter((p) => !STATEMENT_KEYWORDS.includes(p) && p !== 'end of input'), 'a statement'];
  }
  if (parts.length <= 1) return parts[0] ?? 'something else';
  return `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}`;
}

function span(node: ohm.Node): Span {
  return { start: node.source.startIdx, end: node.source.endIdx };
}

function name(node: ohm.Node): ast.Name {
  return { text: node.sourceString, span: span(node) };
}

function list<T>(iter: ohm.Node): T[] {
  return iter.asIteration().children.map((c: ohm.Node) => c['ast']() as T);
}

const astActions: ohm.ActionDict<unknown> = {
  Spec(statements) {
    return { statements: statements.children.map((c) => c['ast']()) } satisfies ast.SpecAst;
  },
  Machine(_kw, id) {
    return { kind: 'machine', name: name(id), span: span(this) } satisfies ast.MachineStmt;
  },
  Emit(_kw, target, _open, entries, _close) {
    const settings = entries.children.map((e) => e['ast']() as { key: ast.Name; value: ast.Name });
    return { kind: 'emit', target: name(target), settings, span: span(this) } satisfies ast.EmitStmt;
  },
  Setting(key, value) {
    return { key: name(key), value: name(value) };
  },
  Entry(item, _sep) {
    return item['ast']();
  },
  Flags(_kw, _open, entries, _close) {
    return { kind: 'flags', flags: entries.children.map((e) => e['ast']() as ast.FlagDecl), span: span(this) } satisfies ast.FlagsStmt;
  },
  FlagDecl(id, _eq, value, mandatory) {
    const kw = mandatory.children[0];
    return {
      name: name(id),
      value: value['ast']() as ast.NumberNode,
      mandatory: kw ? span(kw) : null,
      span: span(this),
    } satisfies ast.FlagDecl;
  },
  States(_kw, _open, entries, _close) {
    return { kind: 'states', states: entries.children.map((e) => e['ast']() as ast.StateDecl), span: span(this) } satisfies ast.StatesStmt;
  },
  StateDecl(id, _eq, value, attrs) {
    const sink: Span[] = [];
    const needs: ast.Name[] = [];
    for (const attr of attrs.children) {
      const a = attr['ast']() as { sink: Span } | { needs: ast.Name[] };
      if ('sink' in a) sink.push(a.sink);
      else needs.push(...a.needs);
    }
    return { name: name(id), value: value['ast']() as ast.NumberNode, sink, needs, span: span(this) } satisfies ast.StateDecl;
  },
  StateAttr_sink(kw) {
    return { sink: span(kw) };
  },
  StateAttr_needs(_kw, flags) {
    return { needs: flags.asIteration().children.map(name) };
  },
  Order(_kw, names) {
    return { kind: 'order', names: names.asIteration().children.map(name), span: span(this) } satisfies ast.OrderStmt;
  },
  Arcs(_kw, _open, entries, _close) {
    return { kind: 'arcs', arcs: entries.children.map((e) => e['ast']() as ast.ArcDecl), span: span(this) } satisfies ast.ArcsStmt;
  },
  ArcDecl(from, op, to, guard) {
    const g = guard.children[0];
    return {
      from: name(from),
      to: name(to),
      both: op.sourceString === '<->',
      guard: g ? (g['ast']() as ast.Literal[]) : [],
      span: span(this),
    } satisfies ast.ArcDecl;
  },
  Guard(_kw, literals) {
    return list<ast.Literal>(literals);
  },
  Literal_negated(_not, flag) {
    return { negated: true, flag: name(flag), span: span(this) } satisfies ast.Literal;
  },
  Literal_plain(flag) {
    return { negated: false, flag: name(flag), span: span(this) } satisfies ast.Literal;
  },
  Block(_kw, pairs) {
    return { kind: 'block', pairs: list<ast.PairNode>(pairs), span: span(this) } satisfies ast.BlockStmt;
  },
  Pair(from, _arrow, to) {
    return { from: name(from), to: name(to), span: span(this) } satisfies ast.PairNode;
  },
  Group(_kw, id, _eq, members) {
    return { kind: 'group', name: name(id), members: members.asIteration().children.map(name), span: span(this) } satisfies ast.GroupStmt;
  },
  Rule(_kw, items) {
    return { kind: 'rule', items: list<ast.RuleItem>(items), span: span(this) } satisfies ast.RuleStmt;
  },
  RuleItem_shortest(_kw) {
    return { kind: 'shortest', span: span(this) } satisfies ast.RuleItem;
  },
  RuleItem_interior(_kw, group, mode) {
    return { kind: 'interior', group: name(group), mode: mode.sourceString as ast.InteriorMode, span: span(this) } satisfies ast.RuleItem;
  },
  Lookup(_kw, lookupName, assumption) {
    const a = assumption.children[0];
    return {
      kind: 'lookup',
      name: name(lookupName),
      assuming: a ? (a['ast']() as ast.Name[]) : [],
      span: span(this),
    } satisfies ast.LookupStmt;
  },
  Assumption(_kw, flags) {
    return flags.asIteration().children.map(name);
  },
  Value_shift(base, _op, shift) {
    const b = (base['ast']() as ast.NumberNode).value;
    const s = (shift['ast']() as ast.NumberNode).value;
    // A shift past 64 bits is out of every C type the spec can target; cap it so
    // that the range check reports it instead of building a huge number.
    const value = s > 64n ? b << 65n : b << s;
    return { value, span: span(this) } satisfies ast.NumberNode;
  },
  Value_plain(n) {
    return n['ast']();
  },
  number_hex(_prefix, digits) {
    return { value: BigInt(`0x${digits.sourceString}`), span: span(this) } satisfies ast.NumberNode;
  },
  number_dec(digits) {
    return { value: BigInt(digits.sourceString), span: span(this) } satisfies ast.NumberNode;
  },
};
