import type { Arc, Model } from '../model/model.js';
import type { FlagSetView } from './flag-sets.js';
import { allFlagSets, viewFlagSet } from './flag-sets.js';
import type { KernelTable } from './kernel-table.js';
import { deriveTable } from './kernel-table.js';
import type { LookupOutcome } from './lookup.js';
import { lookup } from './lookup.js';
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

export interface CheckResult {
  readonly ok: boolean;
  readonly table: KernelTable;
  readonly flagSets: readonly FlagSetReport[];
  readonly violations: readonly Violation[];
  readonly warnings: readonly Warning[];
  /** Requests examined, for the benchmark's rate. */
  readonly requestsChecked: number;
}

export interface CheckOptions {
  /** Restrict the flag sets checked to these words. */
  readonly only?: readonly number[];
}

/** Values a request may carry that lie outside every table. */
const OUT_OF_RANGE = [255, 0x7fffffff, 0xffffffff];

/** Decides every property of the spec for every flag set; see the README for their definitions. */
export function check(model: Model, options: CheckOptions = {}): CheckResult {
  const table = deriveTable(model);
  const violations: Violation[] = [];
  const flagSets: FlagSetReport[] = [];
  const used = new Set<Arc>();
  let requestsChecked = 0;
  const words = options.only ?? allFlagSets(model);
  for (const flags of words) {
    const report = checkFlagSet(model, table, flags, violations, used);
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
  return { ok: violations.length === 0, table, flagSets, violations, warnings, requestsChecked };
}

function checkFlagSet(model: Model, table: KernelTable, flags: number, out: Violation[], used: Set<Arc>): FlagSetReport {
  const n = model.states.length;
  const variant = model.lookup.variant;
  const view = viewFlagSet(model, flags);
  const selector = new PathSelector(model, view);
  const consulted = (flags & model.lookup.assumes) === model.lookup.assumes;
  const before = out.length;
  const v = (property: Property, current: number, target: number, paths: readonly (readonly number[])[], walk: readonly number[], message: string): void => {
    out.push({ property, flags, current, target, paths, walk, message });
  };
  const name = (s: number): string => model.states[s]?.name ?? `value ${s}`;

  // Property 5 first: one call per input, kept for the walks below.
  const outcomes: LookupOutcome[] = new Array(n * n);
  for (let cur = 0; cur < n; cur++) {
    for (let target = 0; target < n; target++) {
      const o = lookup(variant, table, cur, target, flags);
      outcomes[cur * n + target] = o;
      if (o.kind === 'diverges') {
        v('termination', cur, target, [], o.cycle, `the lookup loop never ends: it goes round ${o.cycle.map(name).join(' -> ')} -> ${name(o.cycle[0]!)} without reaching a usable state`);
      }
    }
  }
  checkUndeclaredBits(model, table, flags, outcomes, v, name);

  let requests = 0;
  let multiStep = 0;
  const arcsTaken = new Map<number, [number, number]>();
  const arcOf = arcIndex(view);
  for (let cur = 0; cur < n; cur++) {
    for (let target = 0; target < n; target++) {
      if (cur === target) continue;
      const sel = selector.select(cur, target);
      if (sel.kind !== 'refused') requests++;
      if (sel.kind === 'path' && sel.path.length > 2) multiStep++;
      if (sel.kind === 'unreachable') {
        v('reachability', cur, target, [], [], `no path that obeys the rules leads from ${name(cur)} to ${name(target)} over the arcs of this flag set`);
      } else if (sel.kind === 'ambiguous') {
        v('ambiguity', cur, target, sel.paths, [], `${sel.paths.length}${sel.paths.length >= 8 ? ' or more' : ''} shortest paths of ${sel.paths[0]!.length - 1} arcs obey the rules, so the spec does not say which one the table must take`);
      } else if (sel.kind === 'path' && consulted) {
        for (let i = 0; i + 1 < sel.path.length; i++) {
          const key = sel.path[i]! * n + sel.path[i + 1]!;
          arcsTaken.set(key, [sel.path[i]!, sel.path[i + 1]!]);
          for (const a of arcOf.get(key) ?? []) used.add(a);
        }
        checkStepConsistency(selector, sel.path, v, name);
      }
      if (!consulted) continue;
      const o = outcomes[cur * n + target]!;
      if (o.kind === 'diverges') continue; // reported as termination
      // A table of first steps cannot follow a path whose tail the spec itself
      // selects differently; that is reported once, as step consistency.
      if (sel.kind === 'path' && !consistentToTheEnd(selector, sel.path)) continue;
      checkWalk(model, table, view, sel, cur, target, outcomes, v, name);
    }
  }
  if (consulted) checkOutOfRange(model, table, flags, v);
  const states = view.exists.filter((e, s) => e && s !== model.sink).length;
  const requiredArcs = [...arcsTaken.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return { flags, consulted, states, requests, multiStep, violations: out.length - before, requiredArcs };
}

type Report = (property: Property, current: number, target: number, paths: readonly (readonly number[])[], walk: readonly number[], message: string) => void;

function arcIndex(view: FlagSetView): Map<number, Arc[]> {
  const n = view.exists.length;
  const index = new Map<number, Arc[]>();
  for (const a of view.arcs) {
    const key = a.from * n + a.to;
    const list = index.get(key);
    if (list) list.push(a);
    else index.set(key, [a]);
  }
  return index;
}

/** Does every tail of `path` select the rest of it? */
function consistentToTheEnd(selector: PathSelector, path: readonly number[]): boolean {
  const target = path[path.length - 1]!;
  for (let i = 1; i + 1 < path.length; i++) {
    const rest = selector.select(path[i]!, target);
    if (rest.kind !== 'path' || !sameSequence(rest.path, path.slice(i))) return false;
  }
  return true;
}

/** Property 6: after the first step, the path selected from there is the rest of this one. */
function checkStepConsistency(selector: PathSelector, path: readonly number[], v: Report, name: (s: number) => string): void {
  if (path.length <= 2) return;
  const cur = path[0]!;
  const target = path[path.length - 1]!;
  const rest = selector.select(path[1]!, target);
  const expected = path.slice(1);
  if (rest.kind === 'path' && sameSequence(rest.path, expected)) return;
  const found = rest.kind === 'path' ? [rest.path] : rest.kind === 'ambiguous' ? rest.paths : [];
  v(
    'step-consistency',
    cur,
    target,
    [path, ...found],
    [],
    `after the first step to ${name(path[1]!)}, the request ${name(path[1]!)} -> ${name(target)} selects ${found.length ? found.map((p) => p.map(name).join(' -> ')).join(' or ') : 'no path'}, not the rest of ${path.map(name).join(' -> ')}, so an interrupted request would change course`,
  );
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
  outcomes: LookupOutcome[],
  v: Report,
  name: (s: number) => string,
): void {
  const n = table.size;
  const first = outcomes[cur * n + target]!;
  if (sel.kind === 'refused') {
    if (first.kind === 'next') {
      const why = { sink: `it involves the sink ${name(model.sink)}`, unsupported: 'a state of it does not exist under these flags', blocked: 'the spec blocks it' }[sel.reason];
      v('sink', cur, target, [], [cur, first.state], `the lookup hands the driver ${name(cur)} -> ${name(first.state)} although the request must be refused: ${why}`);
    }
    return;
  }
  if (sel.kind !== 'path') return; // reachability or ambiguity already reported
  const walk = [cur];
  let at = cur;
  let problem: string | undefined;
  while (at !== target) {
    const o = outcomes[at * n + target]!;
    if (o.kind === 'refused') {
      problem = walk.length === 1 ? `the lookup refuses the request (${o.reason})` : `the lookup refuses to go on from ${name(at)} (${o.reason}), leaving the device half way`;
      break;
    }
    if (o.kind === 'diverges') {
      problem = `the lookup loop never ends at ${name(at)}`;
      break;
    }
    if (!view.successors[at]!.includes(o.state)) {
      walk.push(o.state);
      problem = `the lookup hands the driver ${name(at)} -> ${name(o.state)}, which is not an arc under these flags`;
      break;
    }
    walk.push(o.state);
    at = o.state;
    if (walk.length > n + 1) {
      problem = 'the walk goes round without reaching the target';
      break;
    }
  }
  if (!problem && sameSequence(walk, sel.path)) return;
  problem ??= `the table takes ${walk.map(name).join(' -> ')}`;
  v('table', cur, target, [sel.path], walk, `${problem}; the spec selects ${sel.path.map(name).join(' -> ')}`);
}

/** Flag bits the spec does not declare must not change any answer. */
function checkUndeclaredBits(model: Model, table: KernelTable, flags: number, outcomes: LookupOutcome[], v: Report, name: (s: number) => string): void {
  const undeclared = ~model.flagMask >>> 0;
  if (undeclared === 0) return;
  const n = table.size;
  const highest = (undeclared & -undeclared) >>> 0;
  for (const extra of [undeclared, highest]) {
    const word = (flags | extra) >>> 0;
    for (let cur = 0; cur < n; cur++) {
      for (let target = 0; target < n; target++) {
        const base = outcomes[cur * n + target]!;
        const o = lookup(model.lookup.variant, table, cur, target, word);
        if (same(base, o) || base.kind === 'diverges') continue;
        const property: Property = o.kind === 'diverges' ? 'termination' : 'table';
        v(property, cur, target, [], o.kind === 'diverges' ? o.cycle : [], `with undeclared bits 0x${extra.toString(16)} also set, the lookup answers ${describe(o, name)} instead of ${describe(base, name)}`);
      }
    }
  }
}

function checkOutOfRange(model: Model, table: KernelTable, flags: number, v: Report): void {
  const inRange = [0, model.sink, table.size - 1];
  for (const bad of OUT_OF_RANGE.concat(table.size)) {
    for (const good of inRange) {
      for (const [cur, target] of [
        [bad, good],
        [good, bad],
      ] as const) {
        const o = lookup(model.lookup.variant, table, cur, target, flags);
        if (o.kind !== 'refused') v('sink', cur, target, [], [], `a request with a state value outside the table (${Math.max(cur, target)}) is not refused`);
      }
    }
  }
}

function same(a: LookupOutcome, b: LookupOutcome): boolean {
  if (a.kind === 'next' && b.kind === 'next') return a.state === b.state;
  return a.kind === b.kind && a.kind !== 'next';
}

function describe(o: LookupOutcome, name: (s: number) => string): string {
  if (o.kind === 'next') return name(o.state);
  if (o.kind === 'refused') return 'a refusal';
  return 'a loop that never ends';
}

function sameSequence(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
