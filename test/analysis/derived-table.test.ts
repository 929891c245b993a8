import { describe, expect, test } from 'vitest';
import { cell, deriveTable } from '../../src/analysis/kernel-table.js';
import { bundled, sv } from '../support/compile.js';
import type { EraTable } from './kernel-tables.js';
import { LINUX_5_18, LINUX_6_2, V2 } from './kernel-tables.js';

const eras: [string, EraTable][] = [
  ['spec/history/v2-protocol.fsm', V2],
  ['spec/history/seed-v6.fsm', LINUX_5_18],
  ['spec/history/linux-5.18.fsm', LINUX_5_18],
  ['spec/history/linux-6.2.fsm', LINUX_6_2],
  ['spec/vfio-migration.fsm', LINUX_6_2],
];

describe('the table derived from each bundled spec is the kernel table of its era', () => {
  test.each(eras)('%s', (path, era) => {
    const m = bundled(path);
    const table = deriveTable(m);
    expect(m.order.map((v) => m.states[v]!.name)).toEqual(era.order);
    const derived: Record<string, string[]> = {};
    for (const row of era.order) derived[row] = era.order.map((col) => m.states[cell(table, sv(m, row), sv(m, col))]!.name);
    expect(derived).toEqual(era.rows);
  });
});
