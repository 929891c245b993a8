import type { Arc, Model } from '../model/model.js';
import type { FlagSetView } from './flag-sets.js';
import { viewFlagSet } from './flag-sets.js';
import { flagSpace, representativeWords } from './flag-space.js';
import type { KernelTable } from './kernel-table.js';
import { cell, deriveTable } from './kernel-table.js';
import type { LookupOutcome } from './lookup.js';
import { DIVERGES, describeOutcome, lookupCode } from './lookup.js';
import { outOfTableValues } from './out-of-table.js';
import type { Selection } from './paths.js';
import { PathSelector } from './paths.js';

export type Property = 'reachability' | 'ambiguity' | 'sink' | 'table' | 'termination' | 'step-consistency';

export interface Violation {
  readonly property: Property;
  readonly flags: number;
  readonly current: number;
  readonly target: number;
  /** Selected or competing paths, as state values. */
  readonly paths: readonly (readonly number[])[];
  /** What the lookup did: the states of the walk, or the states its loop goes round. */
  readonly walk: readonly number[];
  readonly message: string;
  /** Undeclared flag bits also set, for a violation found by running the lookup with them. */
  readonly widened?: number;
}

export interface Warning {
  readonly kind: 'unused-arc';
  readonly arc: Arc;
  readonly message: string;
}

export interface FlagSetReport {
  readonly flags: number;
  /** False when the spec says the caller never consults the lookup under these flags. */
  readonly consulted: boolean;
  /** Supported states, the sink excluded. */
  readonly states: number;
  /** Requests that must succeed: both ends supported, neither the sink, not blocked. */
  readonly requests: number;
  readonly multiStep: number;
  readonly violations: number;
  /** Arcs that selected paths take: what a driver with these flags must implement. */
  readonly requiredArcs: readonly (readonly [number, number])[];
}

/** How many flag sets a check covered, and how. */
export interface Coverage {
  /** Every flag set over the declared flags: 2^flags (a double, exact up to 2^32). */
  readonly total: number;
  /** Flag sets checked one by one: the rows of the report. */
  readonly direct: number;
  /** Flag sets whose answers are those of a row, by the symmetry argument in flag-space.ts. */
  readonly bySymmetry: number;
  /** total - direct - bySymmetry: left out (only when `only` chose the flag sets). */
  readonly notChecked: number;
  /** Declared flags that nothing mentions: clear in every row, and probed as undeclared bits. */
  readonly unmentioned: number;
}

export interface CheckResult {
  readonly ok: boolean;
  readonly table: KernelTable;
  readonly coverage: Coverage;
  readonly flagSets: readonly FlagSetReport[];
  readonly violations: readonly Violation[];
  readonly warnings: readonly Warning[];
  /** Requests examined, for the benchmark's rate. */
  readonly requestsChecked: number;
}

export interface CheckOptions {
  /** Restrict the flag sets checked to these words (no reduction: each is checked as given). */
  readonly only?: readonly number[];
  /** Bound on the flag sets checked one by one (default 2^20); past it check() throws FlagSetLimitError. */
  readonly maxFlagSets?: number;
}

/**
 * Decides every property of the spec for every flag set; see the README for
 * their definitions. Flags that nothing mentions are reduced by symmetry
 * (see flag-space.ts): every flag set is covered, and `coverage` says how.
 */
export function check(model: Model, options: CheckOptions = {}): CheckResult {
  const table = deriveTable(model);
  const violations: Violation[] = [];
  const flagSets: FlagSetReport[] = [];
  const used = new Set<Arc>();
  let requestsChecked = 0;
  let words: readonly number[];
  let coverage: Coverage;
  const space = flagSpace(model);
  if (options.only) {
    words = options.only;
    coverage = { total: space.total, direct: words.length, bySymmetry: 0, notChecked: Math.max(0, space.total - words.length), unmentioned: space.unmentionedMask };
  } else {
    words = representativeWords(model, options.maxFlagSets).words;
    coverage = { total: space.total, direct: space.direct, bySymmetry: space.bySymmetry, notChecked: 0, unmentioned: space.unmentionedMask };
  }
  // Bits no answer depends on: the undeclared ones, and declared flags nothing mentions.
  const inert = ~space.mentionedMask >>> 0;
  // One (readonly) tuple per arc, shared by every row that requires it: a million rows stay small.
  const pairs: (readonly [number, number] | undefined)[] = new Array(model.states.length * model.states.length);
  for (const flags of words) {
    const report = checkFlagSet(model, table, flags, inert, violations, used, pairs);
    requestsChecked += model.states.length * model.states.length;
    flagSets.push(report);
  }
  const warnings: Warning[] = [];
  if (!options.only) {
    for (const arc of model.arcs) {
      if (used.has(arc)) continue;
      warnings.push({
        kind: 'unused-arc',
        arc,
        message: `the arc ${model.states[arc.from]!.name} -> ${model.states[arc.to]!.name} is on no selected path under any flag set; no driver is ever asked to take it`,
      });
    }
  }
  return { ok: violations.length === 0, table, coverage, flagSets, violations, warnings, requestsChecked };
}

function checkFlagSet(
  model: Model,
  table: KernelTable,
  flags: number,
  inert: number,
  out: Violation[],
  used: Set<Arc>,
  pairs: (readonly [number, number] | undefined)[],
): FlagSetReport {
  const n = model.states.length;
  const variant = model.lookup.variant;
  const view = viewFlagSet(model, flags);
  const selector = new PathSelector(model, view);
  const consulted = (flags & model.lookup.assumes) >>> 0 === model.lookup.assumes; // unsigned: bit 31 may be assumed
  const before = out.length;
  const v: Report = (property, current, target, paths, walk, message, widened) => {
    out.push(widened === undefined ? { property, flags, current, target, paths, walk, message } : { property, flags, current, target, paths, walk, message, widened });
  };
  const name = (s: number): string => model.states[s]?.name ?? `value ${s}`;

  // Property 5 first: one call per input, kept for the walks below.
  const outcomes = new Int32Array(n * n);
  for (let cur = 0; cur < n; cur++) {
    for (let target = 0; target < n; target++) {
      const code = lookupCode(variant, table, cur, target, flags);
      outcomes[cur * n + target] = code;
      if (code === DIVERGES) {
        const cycle = (describeOutcome(table, code, target, cur) as { cycle: readonly number[] }).cycle;
        const entry = cell(table, cur, target);
        v(
          'termination',
          cur,
          target,
          [],
          cycle,
          `the lookup loop never ends: the cell [${name(cur)}][${name(target)}] gives ${name(entry)}, which this device does not count as supported, and from there the loop goes round ${[...cycle, cycle[0]!].map(name).join(' -> ')} forever`,
        );
      }
    }
  }
  checkUndeclaredBits(model, table, flags, inert, outcomes, v, name);

  let requests = 0;
  let multiStep = 0;
  const taken = new Uint8Array(n * n);
  const consistency = new Int8Array(n * n); // 0 unknown, 1 consistent to the end, -1 not
  for (let cur = 0; cur < n; cur++) {
    for (let target = 0; target < n; target++) {
      if (cur === target) continue;
      const sel = selector.select(cur, target);
      if (sel.kind !== 'refused') requests++;
      if (sel.kind === 'unreachable') {
        v('reachability', cur, target, [], [], `no path that obeys the rules leads from ${name(cur)} to ${name(target)} over the arcs of this flag set`);
      } else if (sel.kind === 'ambiguous') {
        v('ambiguity', cur, target, sel.paths, [], `${sel.paths.length}${sel.paths.length >= 8 ? ' or more' : ''} shortest paths of ${sel.paths[0]!.length - 1} arcs obey the rules, so the spec does not say which one the table must take`);
      } else if (sel.kind === 'path') {
        if (sel.path.length > 2) multiStep++;
        if (consulted) for (let i = 0; i + 1 < sel.path.length; i++) taken[sel.path[i]! * n + sel.path[i + 1]!] = 1;
        checkStepConsistency(selector, sel.path, v, name);
      }
      if (!consulted) continue;
      if (outcomes[cur * n + target] === DIVERGES) continue; // reported as termination
      // A table of first steps cannot follow a path whose tail the spec itself
      // selects differently; that is reported once, as step consistency.
      if (sel.kind === 'path' && !consistentToTheEnd(selector, sel.path, consistency)) continue;
      checkWalk(model, table, view, sel, cur, target, outcomes, v, name);
    }
  }
  if (consulted) checkOutOfRange(model, table, flags, v);
  const requiredArcs: (readonly [number, number])[] = [];
  for (let k = 0; k < n * n; k++) if (taken[k]) requiredArcs.push((pairs[k] ??= [Math.floor(k / n), k % n]));
  for (const a of view.arcs) if (taken[a.from * n + a.to]) used.add(a);
  const states = view.exists.filter((e, s) => e && s !== model.sink).length;
  return { flags, consulted, states, requests, multiStep, violations: out.length - before, requiredArcs };
}

type Report = (property: Property, current: number, target: number, paths: readonly (readonly number[])[], walk: readonly number[], message: string, widened?: number) => void;

/** Does every tail of `path` select the rest of it? Memoised per flag set in `memo`. */
function consistentToTheEnd(selector: PathSelector, path: readonly number[], memo: Int8Array): boolean {
  const n = selector.view.exists.length;
  const target = path[path.length - 1]!;
  const key = path[0]! * n + target;
  if (memo[key] === 0) {
    let ok = true;
    if (path.length > 2) {
      const rest = selector.select(path[1]!, target);
      ok = rest.kind === 'path' && isTail(rest.path, path) && consistentToTheEnd(selector, rest.path, memo);
    }
    memo[key] = ok ? 1 : -1;
  }
  return memo[key] === 1;
}

/** Is `tail` the same as `path` without its first state? */
function isTail(tail: readonly number[], path: readonly number[]): boolean {
  if (tail.length !== path.length - 1) return false;
  for (let i = 0; i < tail.length; i++) if (tail[i] !== path[i + 1]) return false;
  return true;
}

/** Property 6: after the first step, the path selected from there is the rest of this one. */
function checkStepConsistency(selector: PathSelector, path: readonly number[], v: Report, name: (s: number) => string): void {
  if (path.length <= 2) return;
  const cur = path[0]!;
  const target = path[path.length - 1]!;
  const rest = selector.select(path[1]!, target);
  if (rest.kind === 'path' && isTail(rest.path, path)) return;
  const shown = path.map(name).join(' -> ');
  if (rest.kind === 'refused') {
    v('step-consistency', cur, target, [path], [], `the path ${shown} passes ${name(path[1]!)}, but the request ${name(path[1]!)} -> ${name(target)} is refused (${rest.reason}): its table cell holds the sink, so the walk would stop half way`);
    return;
  }
  const found = rest.kind === 'path' ? [rest.path] : rest.kind === 'ambiguous' ? rest.paths : [];
  const alternatives = found.length ? found.map((p) => p.map(name).join(' -> ')).join(' or ') : 'no path';
  v('step-consistency', cur, target, [path, ...found], [], `after the first step to ${name(path[1]!)}, the request ${name(path[1]!)} -> ${name(target)} selects ${alternatives}, not the rest of ${shown}, so an interrupted request would change course`);
}

/**
 * Properties 3 and 4: walk the one table as the kernel's caller does, one
 * lookup per step, and compare with what the spec selects for this flag set.
 */
function checkWalk(
  model: Model,
  table: KernelTable,
  view: FlagSetView,
  sel: Selection,
  cur: number,
  target: number,
  outcomes: Int32Array,
  v: Report,
  name: (s: number) => string,
): void {
  const n = table.size;
  const first = outcomes[cur * n + target]!;
  if (sel.kind === 'refused') {
    if (first >= 0) {
      const why = { sink: `it involves the sink ${name(model.sink)}`, unsupported: 'a state of it does not exist under these flags', blocked: 'the spec blocks it' }[sel.reason];
      v('sink', cur, target, [], [cur, first], `the lookup hands the driver ${name(cur)} -> ${name(first)} although the request must be refused: ${why}`);
    }
    return;
  }
  if (sel.kind !== 'path') return; // reachability or ambiguity already reported
  // The common case, a walk that follows the path, is checked without allocating.
  const path = sel.path;
  let i = 0;
  while (i + 1 < path.length && outcomes[path[i]! * n + target] === path[i + 1]) i++;
  if (i + 1 === path.length) return;
  const walk = path.slice(0, i + 1);
  let at = path[i]!;
  let problem: string | undefined;
  while (at !== target) {
    const code = outcomes[at * n + target]!;
    if (code < 0) {
      const o = describeOutcome(table, code, target, at);
      problem = walk.length === 1 ? `the lookup refuses the request (${reason(o)})` : `the lookup refuses to go on from ${name(at)} (${reason(o)}), leaving the device half way`;
      break;
    }
    walk.push(code);
    if (!view.successors[at]!.includes(code)) {
      problem = `the lookup hands the driver ${name(at)} -> ${name(code)}, which is not an arc under these flags`;
      break;
    }
    at = code;
    if (walk.length > n + 1) {
      problem = 'the walk goes round without reaching the target';
      break;
    }
  }
  problem ??= `the table takes ${walk.map(name).join(' -> ')}`;
  v('table', cur, target, [path], walk, `${problem}; the spec selects ${path.map(name).join(' -> ')}`);
}

function reason(o: LookupOutcome): string {
  return o.kind === 'refused' ? o.reason : 'its loop never ends';
}

/**
 * Flag bits the spec does not declare must not change any answer. `inert`
 * also holds the declared flags nothing mentions, which the symmetry
 * reduction checks as undeclared bits (flag-space.ts).
 */
function checkUndeclaredBits(model: Model, table: KernelTable, flags: number, inert: number, outcomes: Int32Array, v: Report, name: (s: number) => string): void {
  const undeclared = inert >>> 0;
  if (undeclared === 0) return;
  const n = table.size;
  const lowest = (undeclared & -undeclared) >>> 0;
  for (const extra of [undeclared, lowest]) {
    const word = (flags | extra) >>> 0;
    for (let cur = 0; cur < n; cur++) {
      for (let target = 0; target < n; target++) {
        const base = outcomes[cur * n + target]!;
        const code = lookupCode(model.lookup.variant, table, cur, target, word);
        // Refusals count as one answer whatever their reason; a loop that already never ends is reported once.
        if (code === base || (code < 0 && base < 0 && code !== DIVERGES && base !== DIVERGES) || base === DIVERGES) continue;
        const o = describeOutcome(table, code, target, cur);
        v(
          code === DIVERGES ? 'termination' : 'table',
          cur,
          target,
          [],
          o.kind === 'diverges' ? o.cycle : [],
          `with bits 0x${extra.toString(16)} also set, which no state, arc or assumption mentions, the lookup answers ${answer(code, name)} instead of ${answer(base, name)}`,
          extra,
        );
      }
    }
  }
}

function checkOutOfRange(model: Model, table: KernelTable, flags: number, v: Report): void {
  const inRange = [0, model.sink, table.size - 1];
  for (const bad of outOfTableValues(table.size)) {
    for (const good of inRange) {
      for (const [cur, target] of [
        [bad, good],
        [good, bad],
      ] as const) {
        if (lookupCode(model.lookup.variant, table, cur, target, flags) >= 0) {
          v('sink', cur, target, [], [], `a request with a state value outside the table (${Math.max(cur, target)}) is not refused`);
        }
      }
    }
  }
}

function answer(code: number, name: (s: number) => string): string {
  if (code >= 0) return name(code);
  return code === DIVERGES ? 'a loop that never ends' : 'a refusal';
}
