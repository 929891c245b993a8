import { DiagnosticSink } from '../diagnostics/diagnostic.js';
import type * as ast from '../syntax/ast.js';
import type { SourceText, Span } from '../common/source.js';
import { emitNames } from './emit-names.js';
import type { Arc, Blocked, Condition, Flag, Group, InteriorRule, Lookup, LookupVariant, Model, State } from './model.js';
import { LOOKUP_VARIANTS } from './model.js';

const U8_MAX = 255n;
const U32_BITS = 32n;

type Diags = DiagnosticSink;

/**
 * Syntax tree to model. Reports every mistake it can find in one pass (a
 * mistake in one statement does not hide those in another); returns a model
 * only when there is no error.
 */
export function validate(source: SourceText, spec: ast.SpecAst): { model?: Model; diagnostics: DiagnosticSink } {
  const d = new DiagnosticSink(source);
  const single = <K extends ast.Statement['kind']>(kind: K, what: string): Extract<ast.Statement, { kind: K }> | undefined => {
    const all = spec.statements.filter((s): s is Extract<ast.Statement, { kind: K }> => s.kind === kind);
    for (const extra of all.slice(1)) d.error('VF002', keywordSpan(extra.span, kind), `${what} is given more than once; the first is at line ${source.position(all[0]!.span.start).line}`);
    return all[0];
  };
  const eof = { start: source.text.length, end: source.text.length };
  const missing = (kind: string, hint: string): void => d.error('VF003', eof, `the spec has no \`${kind}\` statement: ${hint}`);

  const machineStmt = single('machine', 'the machine name');
  const flagsStmt = single('flags', 'the flags block');
  const statesStmt = single('states', 'the states block');
  const orderStmt = single('order', 'the emission order');
  const lookupStmt = single('lookup', 'the lookup algorithm');
  if (!machineStmt) missing('machine', 'name the machine, e.g. `machine vfio_device_mig_state`');
  if (!flagsStmt) missing('flags', 'declare the feature flags and their bits');
  if (!statesStmt) missing('states', 'declare the states and their uapi values');
  if (!orderStmt) missing('order', 'list the states in the order rows and columns are emitted');
  if (!lookupStmt) missing('lookup', `say which lookup reads the table: ${LOOKUP_VARIANTS.join(', ')}`);

  const flags = resolveFlags(d, flagsStmt);
  const states = resolveStates(d, statesStmt, flags);
  const stateByName = new Map(states.list.map((s) => [s.name, s]));
  let suggestState: ((name: string) => string) | undefined;
  let suggestFlag: ((name: string) => string) | undefined;
  // A name is unknown only if nothing declares it: a state already reported
  // for its value, or any state when the states block itself is missing,
  // would otherwise repeat one mistake at every use.
  const stateRef = (n: ast.Name): State | undefined => {
    const s = stateByName.get(n.text);
    if (!s && statesStmt && !states.rejected.has(n.text)) {
      d.error('VF030', n.span, `unknown state \`${n.text}\`${(suggestState ??= suggester([...stateByName.keys()]))(n.text)}`);
    }
    return s;
  };
  const flagRef = (n: ast.Name): Flag | undefined => {
    const f = flags.byName.get(n.text);
    if (!f && flagsStmt) d.error('VF026', n.span, `unknown flag \`${n.text}\`${(suggestFlag ??= suggester([...flags.byName.keys()]))(n.text)}`);
    return f;
  };
  for (const decl of statesStmt?.states ?? []) for (const n of decl.needs) flagRef(n);

  const order = resolveOrder(d, orderStmt, states.list, stateRef);
  const arcs = resolveArcs(d, spec, flagRef, stateRef);
  const blocked = resolveBlocked(d, spec, arcs, stateRef);
  const groups = resolveGroups(d, spec, stateRef);
  const rules = resolveRules(d, spec, groups, eof);
  const lookup = lookupStmt ? resolveLookup(d, lookupStmt, flagRef) : undefined;
  const names = emitNames(d, spec, machineStmt?.name.text ?? 'machine');

  if (d.hasErrors || !machineStmt || !flagsStmt || !flags.mandatory || states.sink === undefined || !lookup || !rules) return { diagnostics: d };
  const model: Model = {
    file: source.path,
    machine: machineStmt.name.text,
    c: names.c,
    ts: names.ts,
    flags: flags.list,
    flagMask: flags.list.reduce((m, f) => (m | f.bit) >>> 0, 0),
    flagsSpan: keywordSpan(flagsStmt.span, 'flags'),
    mandatory: flags.mandatory,
    states: states.list,
    sink: states.sink,
    order,
    arcs,
    blocked,
    groups,
    interior: rules,
    lookup,
  };
  return { model, diagnostics: d };
}

function keywordSpan(span: Span, keyword: string): Span {
  return { start: span.start, end: span.start + keyword.length };
}

/** "line N", for messages that point back at an earlier declaration. */
function lineOf(d: Diags, span: Span): string {
  return `line ${d.source.position(span.start).line}`;
}

/**
 * A number as a message shows it: its value, unless the value is past 64 bits
 * (the parser caps huge shifts, so the value would not be what was written).
 */
function shown(d: Diags, n: ast.NumberNode): string {
  return n.value < 1n << 64n ? String(n.value) : d.source.text.slice(n.span.start, n.span.end);
}

/**
 * Past this many names, or for names this long, a suggestion is looked for
 * only by case: comparing every unknown name with every known one by edit
 * distance would make a spec with thousands of mistakes (or one absurdly
 * long name) take time quadratic in them.
 */
const MAX_SUGGESTION_CANDIDATES = 256;
const MAX_SUGGESTION_LENGTH = 64;

/** " (did you mean `X`?)" for a misspelt name, built once per set of known names. */
function suggester(known: readonly string[]): (name: string) => string {
  const byLower = new Map<string, string>();
  for (const k of known) if (!byLower.has(k.toLowerCase())) byLower.set(k.toLowerCase(), k);
  return (name) => {
    let close = byLower.get(name.toLowerCase());
    if (close === undefined && known.length <= MAX_SUGGESTION_CANDIDATES && name.length <= MAX_SUGGESTION_LENGTH) {
      close = known.find((k) => k.length <= MAX_SUGGESTION_LENGTH && editDistance(k, name) <= 2);
    }
    return close ? ` (did you mean \`${close}\`?)` : '';
  };
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

interface ResolvedFlags {
  list: Flag[];
  byName: Map<string, Flag>;
  mandatory?: Flag;
}

function resolveFlags(d: Diags, stmt: ast.FlagsStmt | undefined): ResolvedFlags {
  const list: Flag[] = [];
  const byName = new Map<string, Flag>();
  const byBit = new Map<number, Flag>();
  const mandatory: Flag[] = [];
  for (const decl of stmt?.flags ?? []) {
    const v = decl.value.value;
    let bit = 0;
    if (v <= 0n || v >= 1n << U32_BITS || (v & (v - 1n)) !== 0n) {
      d.error('VF012', decl.value.span, `flag \`${decl.name.text}\` must be a single bit of a 32-bit word (1 << 0 to 1 << 31), not ${shown(d, decl.value)}`);
    } else bit = Number(v) >>> 0;
    const dup = byName.get(decl.name.text);
    if (dup) {
      d.error('VF010', decl.name.span, `flag \`${decl.name.text}\` is declared twice; the first is at ${lineOf(d, dup.span)}`);
      continue;
    }
    const same = bit !== 0 ? byBit.get(bit) : undefined;
    if (same) {
      d.error('VF011', decl.value.span, `flag \`${decl.name.text}\` uses bit ${Math.log2(bit)}, already taken by \`${same.name}\``);
      // Left with no bit, like a flag whose value is wrong: sharing one would
      // make conditions such as `PRE_COPY and not P2P` look contradictory.
      bit = 0;
    }
    const flag: Flag = { name: decl.name.text, bit, mandatory: decl.mandatory !== null, span: decl.name.span };
    if (bit !== 0) byBit.set(bit, flag);
    byName.set(flag.name, flag);
    list.push(flag);
    if (flag.mandatory) mandatory.push(flag);
  }
  if (stmt && mandatory.length === 0) {
    d.error('VF013', keywordSpan(stmt.span, 'flags'), 'no flag is marked `mandatory`: mark the one without which a device has no migration');
  }
  // By declaration, not by name: a search per extra flag would be quadratic in them.
  let seenMandatory = 0;
  for (const decl of stmt?.flags ?? []) {
    if (!decl.mandatory || byName.get(decl.name.text)?.span !== decl.name.span) continue;
    if (seenMandatory++ > 0) d.error('VF014', decl.mandatory, `only one flag can be mandatory; \`${mandatory[0]!.name}\` already is`);
  }
  return { list, byName, mandatory: mandatory[0] };
}

interface ResolvedStates {
  list: State[];
  sink?: number;
  /** Declared, but left out of the model for a bad value (already reported). */
  rejected: Set<string>;
}

function resolveStates(d: Diags, stmt: ast.StatesStmt | undefined, flags: ResolvedFlags): ResolvedStates {
  const byName = new Map<string, ast.StateDecl>();
  const byValue = new Map<number, ast.StateDecl>();
  const states: State[] = [];
  const sinks: ast.StateDecl[] = [];
  const rejected = new Set<string>();
  for (const decl of stmt?.states ?? []) {
    const first = byName.get(decl.name.text);
    if (first) {
      d.error('VF020', decl.name.span, `state \`${decl.name.text}\` is declared twice; the first is at ${lineOf(d, first.span)}`);
      continue;
    }
    byName.set(decl.name.text, decl);
    const v = decl.value.value;
    if (v > U8_MAX) {
      d.error('VF022', decl.value.span, `state \`${decl.name.text}\` has value ${shown(d, decl.value)}, outside the table's u8 cells (0 to 255)`);
      rejected.add(decl.name.text);
      continue;
    }
    const value = Number(v);
    const same = byValue.get(value);
    if (same) {
      d.error('VF021', decl.value.span, `state \`${decl.name.text}\` has value ${value}, already taken by \`${same.name.text}\``);
      rejected.add(decl.name.text);
      continue;
    }
    byValue.set(value, decl);
    for (const extra of decl.sink.slice(1)) d.error('VF024', extra, `state \`${decl.name.text}\` is marked \`sink\` twice`);
    if (decl.sink.length > 0) sinks.push(decl);
    let needs = 0;
    for (const n of decl.needs) needs = (needs | (flags.byName.get(n.text)?.bit ?? 0)) >>> 0;
    states.push({ name: decl.name.text, value, needs, sink: decl.sink.length > 0, span: decl.name.span });
  }
  if (stmt && sinks.length === 0) d.error('VF023', keywordSpan(stmt.span, 'states'), 'no state is marked `sink`: the FSM needs its ERROR state');
  for (const extra of sinks.slice(1)) d.error('VF024', extra.sink[0]!, `only one state can be the sink; \`${sinks[0]!.name.text}\` already is`);
  for (const decl of sinks.slice(0, 1)) {
    if (decl.needs.length > 0) d.error('VF025', decl.needs[0]!.span, `the sink \`${decl.name.text}\` exists on every device; it cannot need flags`);
  }
  // Without a sink, the state meant to be it would be told to need the
  // mandatory flag: VF023 already names the mistake.
  const mandatory = sinks.length > 0 ? flags.mandatory : undefined;
  for (const decl of stmt?.states ?? []) {
    if (decl.sink.length > 0 || !mandatory || byName.get(decl.name.text) !== decl) continue;
    // An unknown name in `needs` is already reported, and is most often the
    // mandatory flag misspelt: saying it is missing too would repeat the mistake.
    if (decl.needs.some((n) => !flags.byName.has(n.text))) continue;
    if (!decl.needs.some((n) => n.text === mandatory.name)) {
      d.error('VF027', decl.name.span, `state \`${decl.name.text}\` must need the mandatory flag \`${mandatory.name}\`: without it a device has no migration states`);
    }
  }
  states.sort((a, b) => a.value - b.value);
  for (let i = 0; i < states.length; i++) {
    if (states[i]!.value !== i) {
      const decl = byValue.get(states[i]!.value)!;
      d.error('VF028', decl.value.span, `state values must run from 0 without gaps, as the table is indexed by them; value ${i} is missing`);
      break;
    }
  }
  const sink = sinks[0] ? states.findIndex((s) => s.name === sinks[0]!.name.text) : -1;
  return { list: states, sink: sink >= 0 ? sink : undefined, rejected };
}

function resolveOrder(d: Diags, stmt: ast.OrderStmt | undefined, states: State[], stateRef: (n: ast.Name) => State | undefined): number[] {
  if (!stmt) return [];
  const seen = new Map<number, ast.Name>();
  const order: number[] = [];
  for (const n of stmt.names) {
    const s = stateRef(n);
    if (!s) continue;
    if (seen.has(s.value)) {
      d.error('VF031', n.span, `\`${n.text}\` appears twice in the order`);
      continue;
    }
    seen.set(s.value, n);
    order.push(s.value);
  }
  const left = states.filter((s) => !seen.has(s.value)).map((s) => `\`${s.name}\``);
  if (left.length > 0) d.error('VF032', keywordSpan(stmt.span, 'order'), `the order misses ${left.join(', ')}: every state needs its row and column`);
  return order;
}

interface ResolvedCondition {
  readonly when: Condition;
  /** Each literal with its flag's bit, to point at the one that makes a condition impossible. */
  readonly literals: readonly { readonly literal: ast.Literal; readonly bit: number }[];
}

function resolveCondition(guard: readonly ast.Literal[], flagRef: (n: ast.Name) => Flag | undefined): ResolvedCondition | undefined {
  let require = 0;
  let forbid = 0;
  let ok = true;
  const literals: { literal: ast.Literal; bit: number }[] = [];
  for (const lit of guard) {
    const f = flagRef(lit.flag);
    if (!f) {
      ok = false;
      continue;
    }
    literals.push({ literal: lit, bit: f.bit });
    if (lit.negated) forbid = (forbid | f.bit) >>> 0;
    else require = (require | f.bit) >>> 0;
  }
  return ok ? { when: { require, forbid }, literals } : undefined;
}

function resolveArcs(
  d: Diags,
  spec: ast.SpecAst,
  flagRef: (n: ast.Name) => Flag | undefined,
  stateRef: (n: ast.Name) => State | undefined,
): Arc[] {
  const arcs: Arc[] = [];
  const seen = new Map<string, Span>();
  for (const stmt of spec.statements) {
    if (stmt.kind !== 'arcs') continue;
    for (const decl of stmt.arcs) {
      const from = stateRef(decl.from);
      const to = stateRef(decl.to);
      const cond = resolveCondition(decl.guard, flagRef);
      if (!from || !to || !cond) continue;
      const { when } = cond;
      if (from.value === to.value) {
        d.error('VF044', decl.span, `an arc from \`${from.name}\` to itself is not a transition`);
        continue;
      }
      const op = decl.both ? '<->' : '->';
      // Point at the name of the sink, not the whole arc: that is what to change.
      const nameOf = (s: State): ast.Name => (s === from ? decl.from : decl.to);
      const pairs: [State, State][] = decl.both ? [[from, to], [to, from]] : [[from, to]];
      if (from.sink || to.sink) {
        for (const [a, b] of pairs) {
          if (a.sink) d.error('VF041', nameOf(a).span, `no arc may leave the sink \`${a.name}\`: only a device reset does`);
          else d.error('VF042', nameOf(b).span, `no arc may lead into the sink \`${b.name}\`: a driver lands there only by failing`);
        }
        continue;
      }
      // What an arc needs does not depend on its direction, so `<->` is reported once.
      const need = (from.needs | to.needs | when.require) >>> 0;
      const excluded = cond.literals.find((l) => l.literal.negated && (l.bit & need) !== 0);
      if (excluded) {
        const flag = excluded.literal.flag.text;
        const who = (from.needs & excluded.bit) !== 0 ? from : (to.needs & excluded.bit) !== 0 ? to : undefined;
        const why = who ? `\`${who.name}\` exists only with \`${flag}\`` : `the condition also requires \`${flag}\``;
        d.error('VF040', excluded.literal.span, `the arc ${from.name} ${op} ${to.name} can never be taken: \`not ${flag}\` excludes it, but ${why}`);
        continue;
      }
      for (const [a, b] of pairs) {
        const key = `${a.value}>${b.value}:${when.require}:${when.forbid}`;
        const dup = seen.get(key);
        if (dup) {
          d.error('VF043', decl.span, `the arc ${a.name} -> ${b.name} is declared twice with the same condition; the first is at ${lineOf(d, dup)}`);
          continue;
        }
        seen.set(key, decl.span);
        arcs.push({ from: a.value, to: b.value, when, span: decl.span });
      }
    }
  }
  return arcs;
}

function resolveBlocked(d: Diags, spec: ast.SpecAst, arcs: Arc[], stateRef: (n: ast.Name) => State | undefined): Blocked[] {
  const blocked: Blocked[] = [];
  const seen = new Set<string>();
  const arcAt = new Map<string, Arc>();
  for (const a of arcs) if (!arcAt.has(`${a.from}>${a.to}`)) arcAt.set(`${a.from}>${a.to}`, a);
  for (const stmt of spec.statements) {
    if (stmt.kind !== 'block') continue;
    for (const pair of stmt.pairs) {
      const from = stateRef(pair.from);
      const to = stateRef(pair.to);
      if (!from || !to) continue;
      if (from.value === to.value || from.sink || to.sink) {
        d.error('VF052', pair.span, `blocking ${from.name} -> ${to.name} says nothing: requests to itself or involving the sink are never transitions`);
        continue;
      }
      const key = `${from.value}>${to.value}`;
      if (seen.has(key)) {
        d.error('VF051', pair.span, `${from.name} -> ${to.name} is blocked twice`);
        continue;
      }
      seen.add(key);
      const arc = arcAt.get(key);
      if (arc) {
        d.error('VF050', pair.span, `${from.name} -> ${to.name} is both blocked and declared as an arc at ${lineOf(d, arc.span)}`);
        continue;
      }
      blocked.push({ from: from.value, to: to.value, span: pair.span });
    }
  }
  return blocked;
}

function resolveGroups(d: Diags, spec: ast.SpecAst, stateRef: (n: ast.Name) => State | undefined): Group[] {
  const groups: Group[] = [];
  const byName = new Map<string, Group>();
  for (const stmt of spec.statements) {
    if (stmt.kind !== 'group') continue;
    const first = byName.get(stmt.name.text);
    if (first) {
      d.error('VF060', stmt.name.span, `group \`${stmt.name.text}\` is declared twice; the first is at ${lineOf(d, first.span)}`);
      continue;
    }
    const members: number[] = [];
    const listed = new Set<number>();
    for (const n of stmt.members) {
      const s = stateRef(n);
      if (!s) continue;
      if (listed.has(s.value)) d.error('VF061', n.span, `\`${n.text}\` is listed twice in group \`${stmt.name.text}\``);
      else {
        listed.add(s.value);
        members.push(s.value);
      }
    }
    const group = { name: stmt.name.text, members, span: stmt.name.span };
    byName.set(group.name, group);
    groups.push(group);
  }
  return groups;
}

function resolveRules(d: Diags, spec: ast.SpecAst, groups: Group[], eof: Span): InteriorRule[] | undefined {
  let shortest = false;
  const rules: InteriorRule[] = [];
  const groupIndex = new Map<string, number>();
  groups.forEach((g, i) => groupIndex.set(g.name, i));
  const ruled = new Set<number>();
  let suggestGroup: ((name: string) => string) | undefined;
  for (const stmt of spec.statements) {
    if (stmt.kind !== 'rule') continue;
    for (const item of stmt.items) {
      if (item.kind === 'shortest') {
        shortest = true;
        continue;
      }
      const group = groupIndex.get(item.group.text);
      if (group === undefined) {
        d.error('VF062', item.group.span, `unknown group \`${item.group.text}\`${(suggestGroup ??= suggester(groups.map((g) => g.name)))(item.group.text)}`);
        continue;
      }
      if (ruled.has(group)) {
        d.error('VF064', item.span, `group \`${item.group.text}\` already has an interior rule`);
        continue;
      }
      ruled.add(group);
      rules.push({ group, mode: item.mode, span: item.span });
    }
  }
  if (!shortest) {
    // At the rule that lacks it, if there is one; else at the end, where it would go.
    const firstRule = spec.statements.find((st) => st.kind === 'rule');
    const fix = firstRule ? 'add `shortest` to this rule' : 'add `rule shortest`';
    d.error('VF063', firstRule ? keywordSpan(firstRule.span, 'rule') : eof, `the spec selects no path: ${fix} (paths are the shortest that obey the interior rules)`);
    return undefined;
  }
  return rules;
}

function resolveLookup(d: Diags, stmt: ast.LookupStmt, flagRef: (n: ast.Name) => Flag | undefined): Lookup | undefined {
  const variant = LOOKUP_VARIANTS.find((v) => v === stmt.name.text) as LookupVariant | undefined;
  if (!variant) d.error('VF070', stmt.name.span, `unknown lookup \`${stmt.name.text}\`: expected one of ${LOOKUP_VARIANTS.join(', ')}`);
  let assumes = 0;
  for (const n of stmt.assuming) {
    const f = flagRef(n);
    if (f) assumes = (assumes | f.bit) >>> 0;
  }
  return variant ? { variant, assumes, span: stmt.span } : undefined;
}
