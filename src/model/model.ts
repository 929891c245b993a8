import type { InteriorMode } from '../syntax/ast.js';
import type { Span } from '../common/source.js';

/**
 * The validated model: every name resolved, every number in range. States are
 * stored at the index equal to their uapi value (values are dense from 0, as
 * the kernel's table dimension assumes). Flag sets are 32-bit words built from
 * the flags' real bits, so they are the very words the kernel reads.
 */
export interface Flag {
  readonly name: string;
  readonly bit: number;
  readonly mandatory: boolean;
  readonly span: Span;
}

export interface State {
  readonly name: string;
  readonly value: number;
  /** Word of the flags this state needs; 0 for the sink, which always exists. */
  readonly needs: number;
  readonly sink: boolean;
  readonly span: Span;
}

/** A conjunction of flag literals: all of `require` set, none of `forbid`. */
export interface Condition {
  readonly require: number;
  readonly forbid: number;
}

export interface Arc {
  readonly from: number;
  readonly to: number;
  readonly when: Condition;
  readonly span: Span;
}

export interface Blocked {
  readonly from: number;
  readonly to: number;
  readonly span: Span;
}

export interface Group {
  readonly name: string;
  readonly members: readonly number[];
  readonly span: Span;
}

export interface InteriorRule {
  readonly group: number;
  readonly mode: InteriorMode;
  readonly span: Span;
}

export const LOOKUP_VARIANTS = ['v2', 'seed-v6', 'linux-5.18', 'linux-7.2'] as const;
export type LookupVariant = (typeof LOOKUP_VARIANTS)[number];

export interface Lookup {
  readonly variant: LookupVariant;
  /** Flags the caller guarantees before it consults the lookup at all. */
  readonly assumes: number;
  readonly span: Span;
}

export interface CNames {
  readonly enum: string;
  readonly statePrefix: string;
  readonly flagPrefix: string;
  readonly table: string;
  readonly flagsTable: string;
  readonly function: string;
}

export interface TsNames {
  readonly stateType: string;
  readonly flagType: string;
}

export interface Model {
  readonly file: string;
  readonly machine: string;
  readonly c: CNames;
  readonly ts: TsNames;
  readonly flags: readonly Flag[];
  /** Every declared bit. */
  readonly flagMask: number;
  /** The `flags` keyword of the flags block, where diagnostics about the flags as a whole point. */
  readonly flagsSpan: Span;
  readonly mandatory: Flag;
  readonly states: readonly State[];
  readonly sink: number;
  /** State values in the order rows and columns are emitted. */
  readonly order: readonly number[];
  readonly arcs: readonly Arc[];
  readonly blocked: readonly Blocked[];
  readonly groups: readonly Group[];
  readonly interior: readonly InteriorRule[];
  readonly lookup: Lookup;
}

export function holds(condition: Condition, flags: number): boolean {
  // `>>> 0` keeps bit 31 unsigned on both sides of the comparison.
  return (flags & condition.require) >>> 0 === condition.require >>> 0 && (flags & condition.forbid) === 0;
}

export function stateExists(state: State, flags: number): boolean {
  return (flags & state.needs) >>> 0 === state.needs >>> 0;
}

/** Names of the declared flags set in a word, in declaration order. */
/** All 32 bits of a flags word: the kernel's `~0U`, the sink's required word, the probe for undeclared bits. */
export const ALL_ONES = 0xffffffff;

export function flagNames(model: Model, flags: number): string[] {
  return model.flags.filter((f) => (flags & f.bit) !== 0).map((f) => f.name);
}

export function conditionText(model: Model, c: Condition): string {
  const parts: string[] = [];
  for (const f of model.flags) {
    if (c.require & f.bit) parts.push(f.name);
    if (c.forbid & f.bit) parts.push(`not ${f.name}`);
  }
  return parts.join(' and ');
}
