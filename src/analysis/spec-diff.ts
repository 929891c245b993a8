import type { Model } from '../model/model.js';
import { flagNames } from '../model/model.js';
import type { CheckResult, FlagSetReport } from './check.js';
import { check } from './check.js';
import type { FlagSetView } from './flag-sets.js';
import { viewFlagSet } from './flag-sets.js';
import { flagSpace, inertFlagNames, representativeWords } from './flag-space.js';
import type { KernelTable } from './kernel-table.js';
import { deriveTable } from './kernel-table.js';
import { walkRequest } from './lookup-trace.js';
import { PathSelector } from './paths.js';
import { sameList } from '../common/order.js';
import type { FailedProperty } from './check-summary.js';
import { failedProperties } from './check-summary.js';

/**
 * What a change from one spec to another does to user space and to drivers.
 * Two specs number their states and flags independently, so everything here
 * is matched and reported by NAME; a name whose number changed is an ABI
 * change of its own.
 */

export type NamePair = readonly [string, string];

/** What the spec says a request does. */
export type SpecAnswer =
  | { readonly kind: 'path'; readonly path: readonly string[] }
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'unreachable' }
  | { readonly kind: 'ambiguous' };

/** What the kernel does with it: the states its caller's loop passes through, and how it ends. */
export interface KernelAnswer {
  readonly kind: 'reached' | 'refused' | 'diverges' | 'loops' | 'not-consulted';
  readonly states: readonly string[];
  /** Steps it hands the driver that are not arcs under these flags. */
  readonly stray: readonly NamePair[];
}

export interface Behaviour {
  readonly spec: SpecAnswer;
  readonly kernel: KernelAnswer;
}

export interface RequestChange {
  readonly current: string;
  readonly target: string;
  /**
   * `fix`: the spec's answer is the same and the old kernel broke it, the new
   * one keeps it. `change`: anything else, which existing devices would see.
   */
  readonly kind: 'change' | 'fix';
  readonly old: Behaviour;
  readonly new: Behaviour;
}

export interface Request {
  readonly current: string;
  readonly target: string;
}

export interface OldFlagSetDiff {
  readonly flags: readonly string[];
  /** False when a flag of it is gone from the new spec, so its devices have no flag set there. */
  readonly mapped: boolean;
  readonly consulted: { readonly old: boolean; readonly new: boolean };
  readonly changes: readonly RequestChange[];
  /** Requests the kernel answered and now refuses (or, newly consulted, refuses at all). */
  readonly newRefusals: readonly Request[];
  readonly removedRefusals: readonly Request[];
  /** Change of the arcs a driver with these flags must implement. */
  readonly arcs: { readonly added: readonly NamePair[]; readonly removed: readonly NamePair[] };
}

export interface NewFlagSet {
  readonly flags: readonly string[];
  /** The old flag set a device of this one extends: its flags the old spec knows. */
  readonly base: readonly string[];
  readonly consulted: boolean;
  /** Supported states, the sink excluded. */
  readonly states: readonly string[];
  readonly newStates: readonly string[];
  readonly requiredArcs: readonly NamePair[];
  /** Arcs beyond what a driver of the base flag set implements already. */
  readonly newArcs: readonly NamePair[];
  /** Arcs of the base flag set that this one never asks for. */
  readonly droppedArcs: readonly NamePair[];
  /** Requests between supported states that the spec refuses and the base flag set did not already refuse between states it had. */
  readonly refusals: readonly (Request & { readonly reason: string })[];
  /** Requests where the new kernel does not do what the new spec says. */
  readonly disagreements: readonly (Request & Behaviour)[];
}

export interface SpecDiff {
  readonly old: SpecSummary;
  readonly new: SpecSummary;
  readonly flags: { readonly added: readonly string[]; readonly removed: readonly string[]; readonly rebit: readonly { name: string; old: number; new: number }[] };
  readonly states: { readonly added: readonly string[]; readonly removed: readonly string[]; readonly renumbered: readonly { name: string; old: number; new: number }[] };
  /** States whose needed flags changed, by name. */
  readonly needs: readonly { readonly state: string; readonly old: readonly string[]; readonly new: readonly string[] }[];
  readonly blocked: { readonly added: readonly NamePair[]; readonly removed: readonly NamePair[] };
  /** Table cells that differ among the states both specs have. */
  readonly cells: readonly { readonly current: string; readonly target: string; readonly old: string; readonly new: string }[];
  readonly sharedStates: readonly string[];
  readonly oldFlagSets: readonly OldFlagSetDiff[];
  readonly newFlagSets: readonly NewFlagSet[];
  /** Requests of existing flag sets that behave differently, plus ABI changes: each is a behaviour change. */
  readonly behaviourChanges: number;
  readonly fixes: number;
}

export interface SpecSummary {
  readonly file: string;
  readonly lookup: string;
  readonly checkOk: boolean;
  readonly violations: number;
  /** The properties the spec's own check finds violated. */
  readonly failed: readonly FailedProperty[];
}

/**
 * Flags that nothing mentions in either spec (inertFlagNames) are set aside:
 * devices that differ only in them behave alike on both sides (flag-space.ts),
 * so each flag set is compared with those flags clear. Past `maxFlagSets`
 * flag sets on a side, FlagSetLimitError.
 */
export function diffSpecs(oldModel: Model, newModel: Model, maxFlagSets?: number): SpecDiff {
  const inert = inertFlagNames(oldModel, newModel);
  const oldWords = representativeWords(oldModel, maxFlagSets, inert).words;
  const newWords = representativeWords(newModel, maxFlagSets, inert).words;
  const oldSide = side(oldModel, maxFlagSets);
  const newSide = side(newModel, maxFlagSets);
  const stateNames = unionNames(oldModel.states.map((s) => s.name), newModel.states.map((s) => s.name));
  const shared = oldModel.order.map((v) => oldModel.states[v]!.name).filter((name) => newSide.state.has(name));

  const flags = {
    added: newModel.flags.filter((f) => !oldSide.flag.has(f.name)).map((f) => f.name),
    removed: oldModel.flags.filter((f) => !newSide.flag.has(f.name)).map((f) => f.name),
    rebit: oldModel.flags.flatMap((f) => {
      const g = newSide.flag.get(f.name);
      return g && g !== f.bit ? [{ name: f.name, old: f.bit, new: g }] : [];
    }),
  };
  const states = {
    added: newModel.states.filter((s) => !oldSide.state.has(s.name)).map((s) => s.name),
    removed: oldModel.states.filter((s) => !newSide.state.has(s.name)).map((s) => s.name),
    renumbered: oldModel.states.flatMap((s) => {
      const v = newSide.state.get(s.name);
      return v !== undefined && v !== s.value ? [{ name: s.name, old: s.value, new: v }] : [];
    }),
  };
  const needs = shared.flatMap((name) => {
    const a = flagNames(oldModel, oldModel.states[oldSide.state.get(name)!]!.needs);
    const b = flagNames(newModel, newModel.states[newSide.state.get(name)!]!.needs);
    return sameList([...a].sort(), [...b].sort()) ? [] : [{ state: name, old: a, new: b }];
  });
  const blockedNames = (m: Model): NamePair[] => m.blocked.map((b) => [m.states[b.from]!.name, m.states[b.to]!.name]);
  const blocked = pairDiff(blockedNames(oldModel), blockedNames(newModel));

  const cells: SpecDiff['cells'][number][] = [];
  for (const current of shared) {
    for (const target of shared) {
      const a = oldModel.states[cellOf(oldSide.table, oldSide.state.get(current)!, oldSide.state.get(target)!)]!.name;
      const b = newModel.states[cellOf(newSide.table, newSide.state.get(current)!, newSide.state.get(target)!)]!.name;
      if (a !== b) cells.push({ current, target, old: a, new: b });
    }
  }

  const oldFlagSets = oldWords.map((word) => diffFlagSet(oldSide, newSide, word, stateNames));
  const newFlagSets = newWords
    .filter((word) => !oldFlagSetHas(oldSide, flagNames(newModel, word)))
    .map((word) => describeNewFlagSet(oldSide, newSide, word));

  const abi = flags.removed.length + flags.rebit.length + states.removed.length + states.renumbered.length;
  let behaviourChanges = abi;
  let fixes = 0;
  for (const f of oldFlagSets) {
    if (!f.mapped) behaviourChanges++;
    for (const c of f.changes) c.kind === 'change' ? behaviourChanges++ : fixes++;
  }
  return {
    old: summary(oldSide),
    new: summary(newSide),
    flags,
    states,
    needs,
    blocked,
    cells,
    sharedStates: shared,
    oldFlagSets,
    newFlagSets,
    behaviourChanges,
    fixes,
  };
}

/** Everything derived once per spec. */
interface Side {
  readonly model: Model;
  readonly table: KernelTable;
  readonly result: CheckResult;
  /** The check's row for each word it checked: flags this spec never mentions are clear in them. */
  readonly reports: Map<number, FlagSetReport>;
  readonly mentioned: number;
  readonly state: Map<string, number>;
  readonly flag: Map<string, number>;
}

function side(model: Model, maxFlagSets: number | undefined): Side {
  const result = check(model, { maxFlagSets });
  return {
    model,
    table: deriveTable(model),
    result,
    reports: new Map(result.flagSets.map((f) => [f.flags, f])),
    mentioned: flagSpace(model).mentionedMask,
    state: new Map(model.states.map((s) => [s.name, s.value])),
    flag: new Map(model.flags.map((f) => [f.name, f.bit])),
  };
}

function summary(s: Side): SpecSummary {
  const assumes = s.model.lookup.assumes ? ` assuming ${flagNames(s.model, s.model.lookup.assumes).join(' and ')}` : '';
  return { file: s.model.file, lookup: `${s.model.lookup.variant}${assumes}`, checkOk: s.result.ok, violations: s.result.violations.length, failed: failedProperties(s.result) };
}

function cellOf(t: KernelTable, current: number, target: number): number {
  return t.cells[current * t.size + target]!;
}

/** A flag set of one side by names, or undefined when a name is not declared there. */
function wordOf(s: Side, names: readonly string[]): number | undefined {
  let w = 0;
  for (const name of names) {
    const bit = s.flag.get(name);
    if (bit === undefined) return undefined;
    w |= bit;
  }
  return w >>> 0;
}

function oldFlagSetHas(oldSide: Side, names: readonly string[]): boolean {
  return wordOf(oldSide, names) !== undefined;
}

/** One flag set of one spec, ready to answer requests by state name. */
interface Device {
  readonly side: Side;
  readonly view: FlagSetView;
  readonly selector: PathSelector;
  readonly consulted: boolean;
}

function device(s: Side, word: number): Device {
  const view = viewFlagSet(s.model, word);
  return { side: s, view, selector: new PathSelector(s.model, view), consulted: (word & s.model.lookup.assumes) >>> 0 === s.model.lookup.assumes };
}

function behaviourOf(d: Device, current: string, target: string): Behaviour {
  const { model, table } = d.side;
  const cur = d.side.state.get(current);
  const tgt = d.side.state.get(target);
  // A state the spec does not have is a value outside its table: refused by every era.
  if (cur === undefined || tgt === undefined) {
    return { spec: { kind: 'refused', reason: 'no such state' }, kernel: { kind: d.consulted ? 'refused' : 'not-consulted', states: [current], stray: [] } };
  }
  const sel = d.selector.select(cur, tgt);
  const name = (v: number): string => model.states[v]?.name ?? String(v);
  const spec: SpecAnswer =
    sel.kind === 'path' ? { kind: 'path', path: sel.path.map(name) } : sel.kind === 'refused' ? { kind: 'refused', reason: sel.reason } : { kind: sel.kind };
  const walk = walkRequest(model.lookup.variant, table, d.view, cur, tgt, d.consulted);
  const stray = walk.stray.map((i): NamePair => [name(walk.states[i - 1]!), name(walk.states[i]!)]);
  return { spec, kernel: { kind: walk.end.kind, states: walk.states.map(name), stray } };
}

function sameSpec(a: SpecAnswer, b: SpecAnswer): boolean {
  if (a.kind === 'path' && b.kind === 'path') return sameList(a.path, b.path);
  // All refusals are one -EINVAL to user space, whatever the spec's reason.
  return a.kind === b.kind;
}

function sameBehaviour(a: Behaviour, b: Behaviour): boolean {
  return sameSpec(a.spec, b.spec) && a.kernel.kind === b.kernel.kind && sameList(a.kernel.states, b.kernel.states);
}

/** Does the kernel do what its spec says? An unconsulted lookup has nothing to break. */
export function conforms(b: Behaviour): boolean {
  if (b.kernel.kind === 'not-consulted') return true;
  if (b.spec.kind === 'path') return b.kernel.kind === 'reached' && sameList(b.kernel.states, b.spec.path);
  return b.kernel.kind === 'refused' && b.kernel.states.length === 1;
}

/** Refused by the lookup itself; an unconsulted lookup refuses nothing (its caller does). */
function refusedByKernel(b: Behaviour): boolean {
  return b.kernel.kind === 'refused';
}

function diffFlagSet(oldSide: Side, newSide: Side, word: number, stateNames: readonly string[]): OldFlagSetDiff {
  const names = flagNames(oldSide.model, word);
  const newWord = wordOf(newSide, names);
  const before = device(oldSide, word);
  if (newWord === undefined) {
    return { flags: names, mapped: false, consulted: { old: before.consulted, new: false }, changes: [], newRefusals: [], removedRefusals: [], arcs: { added: [], removed: [] } };
  }
  const after = device(newSide, newWord);
  const changes: RequestChange[] = [];
  const newRefusals: Request[] = [];
  const removedRefusals: Request[] = [];
  const sameConsulting = before.consulted === after.consulted;
  for (const current of stateNames) {
    for (const target of stateNames) {
      if (current === target) continue;
      const a = behaviourOf(before, current, target);
      const b = behaviourOf(after, current, target);
      if (!refusedByKernel(a) && refusedByKernel(b)) newRefusals.push({ current, target });
      if (refusedByKernel(a) && !refusedByKernel(b)) removedRefusals.push({ current, target });
      // A lookup its caller starts or stops consulting changes who refuses, not
      // what a device of this flag set can do: reported as refusals only.
      if (!sameConsulting) {
        if (!sameSpec(a.spec, b.spec)) changes.push({ current, target, kind: 'change', old: a, new: b });
        continue;
      }
      if (sameBehaviour(a, b)) continue;
      const fix = sameSpec(a.spec, b.spec) && !conforms(a) && conforms(b);
      changes.push({ current, target, kind: fix ? 'fix' : 'change', old: a, new: b });
    }
  }
  const arcs = pairDiff(requiredArcs(oldSide, word), requiredArcs(newSide, newWord));
  return { flags: names, mapped: true, consulted: { old: before.consulted, new: after.consulted }, changes, newRefusals, removedRefusals, arcs };
}

function requiredArcs(s: Side, word: number): NamePair[] {
  // The row of the flag set with this spec's unmentioned flags clear, which answers for it (flag-space.ts).
  const report = s.reports.get((word & s.mentioned) >>> 0);
  return (report?.requiredArcs ?? []).map(([a, b]) => [s.model.states[a]!.name, s.model.states[b]!.name]);
}

function describeNewFlagSet(oldSide: Side, newSide: Side, word: number): NewFlagSet {
  const { model } = newSide;
  const names = flagNames(model, word);
  const base = names.filter((n) => oldSide.flag.has(n));
  const baseWord = wordOf(oldSide, base)!;
  const d = device(newSide, word);
  const supported = model.states.filter((s) => d.view.exists[s.value] && s.value !== model.sink).map((s) => s.name);
  const baseDevice = device(oldSide, baseWord);
  const oldView = baseDevice.view;
  const hadBefore = new Set(oldSide.model.states.filter((s) => oldView.exists[s.value] && s.value !== oldSide.model.sink).map((s) => s.name));
  const required = requiredArcs(newSide, word);
  const baseArcs = requiredArcs(oldSide, baseWord);
  const { added: newArcs, removed: droppedArcs } = pairDiff(baseArcs, required);
  const refusals: (Request & { reason: string })[] = [];
  const disagreements: (Request & Behaviour)[] = [];
  for (const current of supported) {
    for (const target of supported) {
      if (current === target) continue;
      const b = behaviourOf(d, current, target);
      const already = hadBefore.has(current) && hadBefore.has(target) && behaviourOf(baseDevice, current, target).spec.kind === 'refused';
      if (b.spec.kind === 'refused' && !already) refusals.push({ current, target, reason: b.spec.reason });
      if (!conforms(b)) disagreements.push({ current, target, ...b });
    }
  }
  return {
    flags: names,
    base,
    consulted: d.consulted,
    states: supported,
    newStates: supported.filter((s) => !hadBefore.has(s)),
    requiredArcs: required,
    newArcs,
    droppedArcs,
    refusals,
    disagreements,
  };
}

function pairDiff(a: readonly NamePair[], b: readonly NamePair[]): { added: NamePair[]; removed: NamePair[] } {
  const key = (p: NamePair): string => `${p[0]}\u0000${p[1]}`;
  const inA = new Set(a.map(key));
  const inB = new Set(b.map(key));
  return { added: b.filter((p) => !inA.has(key(p))).sort(byNames), removed: a.filter((p) => !inB.has(key(p))).sort(byNames) };
}

/** Arcs in code-point order of their names, as the kernel comment lists them. */
function byNames(a: NamePair, b: NamePair): number {
  const x = `${a[0]} ${a[1]}`;
  const y = `${b[0]} ${b[1]}`;
  return x < y ? -1 : x > y ? 1 : 0;
}

function unionNames(a: readonly string[], b: readonly string[]): string[] {
  return [...a, ...b.filter((x) => !a.includes(x))];
}


