import type { Model } from '../model/model.js';
import { viewFlagSet } from './flag-sets.js';
import { PathSelector } from './paths.js';

/**
 * The one next-step table the kernel keeps, indexed by state value, plus the
 * per-state needs the lookup reads. The same shape describes a table read
 * back from kernel C, so derived and foreign tables are walked the same way.
 */
export interface KernelTable {
  readonly size: number;
  readonly sink: number;
  /** The mandatory flag's bit, which the seed-era lookups never test. */
  readonly mandatory: number;
  /** cells[current * size + target] = next state value. */
  readonly cells: Uint8Array;
  /** needs[state] = word of flags the state needs; 0 for the sink. */
  readonly needs: Uint32Array;
}

export function cell(table: KernelTable, current: number, target: number): number {
  return table.cells[current * table.size + target]!;
}

/**
 * Derives the table from the full flag set: a cell holds the first step of
 * the selected path; blocked requests, requests involving the sink and
 * requests without a unique path hold the sink; the diagonal holds the state
 * itself, as the kernel's does.
 */
export function deriveTable(model: Model): KernelTable {
  const size = model.states.length;
  const selector = new PathSelector(model, viewFlagSet(model, model.flagMask));
  const cells = new Uint8Array(size * size);
  for (let cur = 0; cur < size; cur++) {
    for (let target = 0; target < size; target++) {
      let next = model.sink;
      if (cur === target && cur !== model.sink) next = cur;
      else if (cur !== target) {
        const sel = selector.select(cur, target);
        if (sel.kind === 'path') next = sel.path[1]!;
      }
      cells[cur * size + target] = next;
    }
  }
  const needs = Uint32Array.from(model.states, (s) => (s.sink ? 0 : s.needs));
  return { size, sink: model.sink, mandatory: model.mandatory.bit, cells, needs };
}
