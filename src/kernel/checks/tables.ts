import type { KernelTable } from '../../analysis/kernel-table.js';
import type { LookupOutcome } from '../../analysis/lookup.js';
import { lookup } from '../../analysis/lookup.js';
import type { Model } from '../../model/model.js';
import { ALL_ONES, flagNames } from '../../model/model.js';
import type { Where } from '../../common/source.js';
import type { CheckContext } from './context.js';
import type { ExtractedArray } from '../bind/extract-array.js';
import type { CellDifference, CellRef, DuplicateDesignator, FlagsTableDifference, FlagsTableReport, RequestChange, TableReport } from './result.js';

/** The kernel's tables as the spec's lookup reads them, for comparisons that need whole tables. */
export interface KernelTables {
  /** Spec-sized: a cell the kernel's table has no room for holds the sink. */
  readonly table: KernelTable;
  /**
   * Kernel-sized: only the cells the kernel defines, so that the spec's
   * lookup run over it refuses a state value past the kernel's table as the
   * kernel's own bound check does. What a mismatch is blamed on is decided
   * with this one.
   */
  readonly own: KernelTable;
  /** Cells the patch does not show, filled with the spec's value. */
  readonly assumed: ReadonlySet<number>;
}

export function outcomeText(cx: CheckContext, o: LookupOutcome): string {
  if (o.kind === 'next') return cx.state(o.state);
  if (o.kind === 'refused') return 'refused';
  return `never ends (goes round ${o.cycle.map(cx.state).join(', ')})`;
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
export function compareTables(cx: CheckContext, table: ExtractedArray | null, flags: ExtractedArray | null, patchHunks: boolean): { report: TableReport; kernel: KernelTables } {
  const { model, spec, where } = cx;
  const n = spec.size;
  const cells = Uint8Array.from(spec.cells);
  const assumed = new Set<number>();
  const raw: { r: number; c: number; value: number; implicit: boolean; at: Where | null }[] = [];
  const implicit: CellRef[] = [];
  const visible: CellRef[] = [];
  const hidden: CellRef[] = [];
  const ref = (r: number, c: number): CellRef => ({ row: cx.state(r), column: cx.state(c) });
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
  const flagsReport = flags || (table && flagsExpected) ? compareFlags(cx, flags, needs) : null;
  const kernel: KernelTable = { size: n, sink: spec.sink, mandatory: spec.mandatory, cells, needs };
  const differences: CellDifference[] = raw.map((d) => ({
    ...ref(d.r, d.c),
    kernel: cx.state(d.value),
    spec: cx.state(spec.cells[d.r * n + d.c]!),
    implicit: d.implicit,
    at: d.at,
    affects: affected(cx, d.r, d.c, kernel.cells[d.r * n + d.c]!),
  }));
  const dims = table ? [...table.dims] : [];
  const size = table ? Math.min(n, ...dims) : n;
  // The spec's states the kernel's table has no row or column for: an older kernel, or a cut table.
  const missingStates = table && size < n ? model.order.filter((s) => s >= size).map(cx.state) : [];
  const report: TableReport = {
    name: model.c.table,
    found: table !== null,
    at: table ? where(table.nameSpan) : null,
    dimensions: { kernel: dims, spec: n, agree: table !== null && dims.every((d) => d === n) },
    differences,
    implicit: patchHunks ? implicit : implicit,
    missingStates,
    duplicates: table ? duplicates(cx, table) : [],
    ...(patchHunks ? { visibleCells: visible, hiddenCells: hidden, unplaced: table ? table.unplaced.map(where) : [] } : {}),
    flagsTable: flagsReport,
  };
  return { report, kernel: { table: kernel, own: ownTable(kernel, size), assumed } };
}

/** The first `size` rows and columns of a spec-sized table. */
function ownTable(t: KernelTable, size: number): KernelTable {
  if (size === t.size) return t;
  const cells = new Uint8Array(size * size);
  for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) cells[r * size + c] = t.cells[r * t.size + c]!;
  return { ...t, size, cells, needs: t.needs.slice(0, size) };
}

function compareFlags(cx: CheckContext, flags: ExtractedArray | null, needs: Uint32Array): FlagsTableReport {
  const { model, spec, where } = cx;
  const expected = model.lookup.variant === 'linux-5.18' || model.lookup.variant === 'linux-7.2';
  const differences: FlagsTableDifference[] = [];
  const implicit: string[] = [];
  const hidden: string[] = [];
  if (flags) {
    for (const s of model.order) {
      const want = s === spec.sink ? ALL_ONES : spec.needs[s]!;
      const kind = classify(flags, s, 0);
      if (kind === 'absent' || kind === 'hidden') {
        if (kind === 'hidden') hidden.push(cx.state(s));
        continue;
      }
      const entry = flags.entries.get(s);
      const got = (entry ? entry.value : 0) >>> 0;
      // The lookups read ERROR's word as "needs everything"; keep the kernel's own words.
      if (s !== spec.sink) needs[s] = got;
      if (kind === 'implicit') implicit.push(cx.state(s));
      if (got !== want) {
        differences.push({ state: cx.state(s), kernel: flagWordText(model, got), spec: flagWordText(model, want), implicit: kind === 'implicit', at: entry ? where(entry.span) : null });
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
    duplicates: flags ? duplicates(cx, flags) : [],
    hidden,
  };
}

function duplicates(cx: CheckContext, t: ExtractedArray): DuplicateDesignator[] {
  return t.duplicates.map((d) => ({ index: d.index.map(cx.state), first: cx.where(d.first), second: cx.where(d.second) }));
}

/** Requests whose outcome under the spec's lookup changes when only this cell takes the kernel's value. */
function affected(cx: CheckContext, row: number, column: number, value: number): RequestChange[] {
  const { model, spec, words } = cx;
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
        const ta = outcomeText(cx, a);
        const tb = outcomeText(cx, b);
        if (ta !== tb) out.push({ current: cx.state(cur), target: cx.state(target), flags: flagNames(model, flags), kernel: tb, spec: ta });
      }
    }
  }
  return out;
}
