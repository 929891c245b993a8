import type { KernelTable } from '../../analysis/kernel-table.js';
import type { LookupOutcome } from '../../analysis/lookup.js';
import { lookup } from '../../analysis/lookup.js';
import type { Model } from '../../model/model.js';
import { ALL_ONES, flagNames } from '../../model/model.js';
import type { Span, Where } from '../../common/source.js';
import type { ExtractedArray } from '../bind/extract-array.js';
import { stateName } from '../../model/spelling.js';
import type { CellDifference, CellRef, DuplicateDesignator, FlagsTableDifference, FlagsTableReport, RequestChange, TableReport } from './result.js';

export type Locate = (span: Span) => Where;

/** The kernel's tables as the spec's lookup reads them, for comparisons that need whole tables. */
export interface KernelTables {
  readonly table: KernelTable;
  /** Cells the patch does not show, filled with the spec's value. */
  readonly assumed: ReadonlySet<number>;
}

export function outcomeText(model: Model, o: LookupOutcome): string {
  if (o.kind === 'next') return stateName(model, o.state);
  if (o.kind === 'refused') return 'refused';
  return `never ends (goes round ${o.cycle.map((s) => stateName(model, s)).join(', ')})`;
}

export function flagWordText(model: Model, word: number): string {
  const w = word >>> 0;
  if (w === ALL_ONES) return '~0U (all ones)';
  const names = flagNames(model, w);
  const rest = (w & ~model.flagMask) >>> 0;
  if (rest) names.push(`0x${rest.toString(16)}`);
  return names.length ? names.join(' | ') : '0';
}

export type CellClass = 'explicit' | 'implicit' | 'hidden' | 'absent';

export function classify(t: ExtractedArray, row: number, column: number): CellClass {
  const [rows, columns] = [t.dims[0]!, t.dims[1] ?? 1];
  if (row >= rows || column >= columns) return 'absent';
  if (t.entries.has(t.dims.length === 2 ? row * columns + column : row)) return 'explicit';
  if (t.dims.length === 1) return t.outerHole ? 'hidden' : 'implicit';
  if (t.rowsSeen.has(row)) return t.rowsWithHoles.has(row) ? 'hidden' : 'implicit';
  return t.outerHole ? 'hidden' : 'implicit';
}

/** Compares the next-step table and the flags table with the spec's derived table. */
export function compareTables(
  model: Model,
  spec: KernelTable,
  table: ExtractedArray | null,
  flags: ExtractedArray | null,
  words: readonly number[],
  patchHunks: boolean,
  where: Locate,
): { report: TableReport; kernel: KernelTables } {
  const n = spec.size;
  const cells = Uint8Array.from(spec.cells);
  const assumed = new Set<number>();
  const raw: { r: number; c: number; value: number; implicit: boolean; at: Where | null }[] = [];
  const implicit: CellRef[] = [];
  const visible: CellRef[] = [];
  const hidden: CellRef[] = [];
  const ref = (r: number, c: number): CellRef => ({ row: stateName(model, r), column: stateName(model, c) });
  if (table) {
    const columns = table.dims[1]!;
    for (const r of model.order) {
      for (const c of model.order) {
        const kind = classify(table, r, c);
        const expected = spec.cells[r * n + c]!;
        if (kind === 'absent') {
          cells[r * n + c] = spec.sink;
          continue;
        }
        if (kind === 'hidden') {
          hidden.push(ref(r, c));
          assumed.add(r * n + c);
          continue;
        }
        const entry = table.entries.get(r * columns + c);
        const value = entry ? entry.value : 0;
        cells[r * n + c] = value < n ? value : spec.sink;
        if (kind === 'implicit') implicit.push(ref(r, c));
        else visible.push(ref(r, c));
        if (value !== expected) raw.push({ r, c, value, implicit: kind === 'implicit', at: entry ? where(entry.span) : null });
      }
    }
  }
  const needs = Uint32Array.from(spec.needs);
  const flagsExpected = model.lookup.variant === 'linux-5.18' || model.lookup.variant === 'linux-7.2';
  const flagsReport = flags || (table && flagsExpected) ? compareFlags(model, spec, flags, needs, where) : null;
  const kernel: KernelTable = { size: n, sink: spec.sink, mandatory: spec.mandatory, cells, needs };
  const differences: CellDifference[] = raw.map((d) => ({
    ...ref(d.r, d.c),
    kernel: stateName(model, d.value),
    spec: stateName(model, spec.cells[d.r * n + d.c]!),
    implicit: d.implicit,
    at: d.at,
    affects: affected(model, spec, d.r, d.c, kernel.cells[d.r * n + d.c]!, words),
  }));
  const dims = table ? [...table.dims] : [];
  const report: TableReport = {
    name: model.c.table,
    found: table !== null,
    at: table ? where(table.nameSpan) : null,
    dimensions: { kernel: dims, spec: n, agree: table !== null && dims.every((d) => d === n) },
    differences,
    implicit: patchHunks ? implicit : implicit,
    duplicates: table ? duplicates(model, table, where) : [],
    ...(patchHunks ? { visibleCells: visible, hiddenCells: hidden, unplaced: table ? table.unplaced.map(where) : [] } : {}),
    flagsTable: flagsReport,
  };
  return { report, kernel: { table: kernel, assumed } };
}

function compareFlags(model: Model, spec: KernelTable, flags: ExtractedArray | null, needs: Uint32Array, where: Locate): FlagsTableReport {
  const expected = model.lookup.variant === 'linux-5.18' || model.lookup.variant === 'linux-7.2';
  const differences: FlagsTableDifference[] = [];
  const implicit: string[] = [];
  const hidden: string[] = [];
  if (flags) {
    for (const s of model.order) {
      const want = s === spec.sink ? ALL_ONES : spec.needs[s]!;
      const kind = classify(flags, s, 0);
      if (kind === 'absent' || kind === 'hidden') {
        if (kind === 'hidden') hidden.push(stateName(model, s));
        continue;
      }
      const entry = flags.entries.get(s);
      const got = (entry ? entry.value : 0) >>> 0;
      // The lookups read ERROR's word as "needs everything"; keep the kernel's own words.
      if (s !== spec.sink) needs[s] = got;
      if (kind === 'implicit') implicit.push(stateName(model, s));
      if (got !== want) {
        differences.push({ state: stateName(model, s), kernel: flagWordText(model, got), spec: flagWordText(model, want), implicit: kind === 'implicit', at: entry ? where(entry.span) : null });
      }
    }
  }
  return {
    name: model.c.flagsTable,
    found: flags !== null,
    expected,
    dimension: flags ? flags.dims[0]! : null,
    differences,
    implicit,
    duplicates: flags ? duplicates(model, flags, where) : [],
    hidden,
  };
}

function duplicates(model: Model, t: ExtractedArray, where: Locate): DuplicateDesignator[] {
  return t.duplicates.map((d) => ({ index: d.index.map((i) => stateName(model, i)), first: where(d.first), second: where(d.second) }));
}

/** Requests whose outcome under the spec's lookup changes when only this cell takes the kernel's value. */
function affected(model: Model, spec: KernelTable, row: number, column: number, value: number, words: readonly number[]): RequestChange[] {
  const n = spec.size;
  const cells = Uint8Array.from(spec.cells);
  cells[row * n + column] = value;
  const changed: KernelTable = { ...spec, cells };
  const out: RequestChange[] = [];
  for (const flags of words) {
    for (const cur of model.order) {
      for (const target of model.order) {
        const a = lookup(model.lookup.variant, spec, cur, target, flags);
        const b = lookup(model.lookup.variant, changed, cur, target, flags);
        const ta = outcomeText(model, a);
        const tb = outcomeText(model, b);
        if (ta !== tb) out.push({ current: stateName(model, cur), target: stateName(model, target), flags: flagNames(model, flags), kernel: tb, spec: ta });
      }
    }
  }
  return out;
}
