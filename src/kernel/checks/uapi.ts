import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Model } from '../../model/model.js';
import type { SourceText, Span } from '../../common/source.js';
import { lex } from '../c/lex.js';
import { bracketPairs } from '../c/locate.js';
import { parseC } from '../c/parse.js';
import type { Value } from '../c/int-value.js';
import type { Report } from '../c/const-eval.js';
import { constEval } from '../c/const-eval.js';
import { collectEnumConstants, constResolver } from '../bind/bind-function.js';
import { flagWordText } from './tables.js';
import type { UapiMismatch, UapiReport } from './result.js';
import { diagnosticIn, fileView, where } from '../source/view.js';

/**
 * A vfio.h-shaped header against the spec: the values of `enum
 * vfio_device_mig_state` and the `VFIO_MIGRATION_*` bits (names from the
 * spec's `emit c`). Only these two things are read; the rest of the header
 * may be anything.
 */
export type UapiResult = { ok: true; report: UapiReport } | { ok: false; diagnostics: readonly Diagnostic[] };

export function checkUapi(model: Model, source: SourceText): UapiResult {
  const view = fileView(source);
  const errors: Diagnostic[] = [];
  const report: Report = (code, span, message) => {
    errors.push(diagnosticIn(view, 'error', code, span, message));
  };
  const lexed = lex(source.text);
  const { tokens } = lexed;
  let enumSpan: { start: number; end: number } | null = null;
  const braces = bracketPairs(tokens, '{', '}');
  for (let i = 0; i < tokens.length && !enumSpan; i++) {
    if (tokens[i]!.text !== 'enum' || tokens[i + 1]?.text !== model.c.enum || tokens[i + 2]?.text !== '{') continue;
    const close = braces[i + 2]!;
    if (close >= 0 && tokens[close + 1]?.text === ';') enumSpan = { start: tokens[i]!.start, end: tokens[close + 1]!.end };
  }
  if (!enumSpan) {
    report('VF230', { start: 0, end: 0 }, `no \`enum ${model.c.enum} { ... };\` in this header`);
    return { ok: false, diagnostics: errors };
  }
  const parsed = parseC(source.text, enumSpan.start, enumSpan.end, 'EnumDecl');
  if (!parsed.ok) {
    report(parsed.error.code, parsed.error.span, parsed.error.message);
    return { ok: false, diagnostics: errors };
  }
  const mismatches: UapiMismatch[] = [];
  const at = (span: Span) => where(view, span);

  const values = new Map<string, Value>();
  const decl = { kind: 'decl' as const, specs: { storage: [], qualifiers: [], type: { kind: 'enum' as const, tag: parsed.ast.tag, enumerators: parsed.ast.enumerators, span: parsed.ast.span }, span: parsed.ast.span }, declarators: [], span: parsed.ast.span };
  // The header's own enumerators are what is being checked, so nothing from the spec resolves them.
  const own: Report = (code, span, message) => report(code, span, message);
  collectEnumConstants(model, [decl], own, values, { specNames: false });
  const { statePrefix } = model.c;
  const seen = new Set<string>();
  const enumerators = parsed.ast.enumerators;
  for (const e of enumerators) {
    const v = values.get(e.name.text);
    if (!v) continue;
    // Newer headers end the enum with a count (VFIO_DEVICE_STATE_NR): it must count the spec's states.
    if (e === enumerators[enumerators.length - 1] && !e.value && /_(NR|NUM|COUNT)$/.test(e.name.text)) {
      if (v.v !== model.states.length) mismatches.push({ name: e.name.text, kernel: String(v.v), spec: String(model.states.length), message: `the count ${e.name.text} is ${v.v}, but the spec has ${model.states.length} states`, at: at(e.name.span) });
      continue;
    }
    const short = e.name.text.startsWith(statePrefix) ? e.name.text.slice(statePrefix.length) : null;
    const state = short === null ? undefined : model.states.find((s) => s.name === short);
    if (!state) {
      mismatches.push({ name: e.name.text, kernel: String(v.v), spec: null, message: `the header declares ${e.name.text} = ${v.v}, which is no state of ${model.file}`, at: at(e.name.span) });
      continue;
    }
    seen.add(state.name);
    if (state.value !== v.v) mismatches.push({ name: e.name.text, kernel: String(v.v), spec: String(state.value), message: `${e.name.text} is ${v.v} in the header, ${state.value} in the spec`, at: at(e.name.span) });
  }
  for (const s of model.states) {
    if (!seen.has(s.name)) mismatches.push({ name: `${statePrefix}${s.name}`, kernel: null, spec: String(s.value), message: `the spec's state ${s.name} = ${s.value} is not in enum ${model.c.enum}`, at: at(parsed.ast.span) });
  }

  const flagCount = checkFlagDefines(model, source, view, mismatches, report);
  if (errors.length) return { ok: false, diagnostics: errors };
  return { ok: true, report: { file: source.path, states: parsed.ast.enumerators.length, flags: flagCount, mismatches } };
}

const DEFINE = /^[ \t]*#[ \t]*define[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]+(.*)$/gm;

function checkFlagDefines(model: Model, source: SourceText, view: ReturnType<typeof fileView>, mismatches: UapiMismatch[], report: Report): number {
  const { flagPrefix } = model.c;
  const resolve = constResolver(model, new Map(), report, { specNames: false });
  const seen = new Set<string>();
  let count = 0;
  for (const m of source.text.matchAll(DEFINE)) {
    const name = m[1]!;
    if (!name.startsWith(flagPrefix)) continue;
    count++;
    const valueStart = m.index + m[0].length - m[2]!.length;
    // Strip a trailing comment; the value is one line in every vfio.h.
    const raw = m[2]!.replace(/\/\*.*?\*\/|\/\/.*$/g, (c) => ' '.repeat(c.length));
    const nameAt = { start: m.index + m[0].indexOf(name), end: m.index + m[0].indexOf(name) + name.length };
    const parsed = parseC(source.text, valueStart, valueStart + raw.trimEnd().length, 'Expr');
    if (!parsed.ok) {
      // Located where the reading stopped, with the reader's reason (a syntax error, a malformed constant, too deep a nesting).
      report('VF231', parsed.error.span, `the value of ${name} cannot be read: ${parsed.error.message}`);
      continue;
    }
    const v = constEval(parsed.ast, resolve, report);
    if (!v) continue;
    const short = name.slice(flagPrefix.length);
    const flag = model.flags.find((f) => f.name === short);
    if (!flag) {
      mismatches.push({ name, kernel: `0x${v.v.toString(16)}`, spec: null, message: `the header defines ${name} = 0x${v.v.toString(16)}, which is no flag of ${model.file}`, at: where(view, nameAt) });
      continue;
    }
    seen.add(flag.name);
    if (flag.bit !== v.v) mismatches.push({ name, kernel: `0x${v.v.toString(16)}`, spec: `0x${flag.bit.toString(16)}`, message: `${name} is 0x${v.v.toString(16)} in the header, 0x${flag.bit.toString(16)} (${flagWordText(model, flag.bit)}) in the spec`, at: where(view, nameAt) });
  }
  for (const f of model.flags) {
    if (!seen.has(f.name)) mismatches.push({ name: `${flagPrefix}${f.name}`, kernel: null, spec: `0x${f.bit.toString(16)}`, message: `the spec's flag ${f.name} is not #defined in the header`, at: null });
  }
  return count;
}
