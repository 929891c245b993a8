import type { KernelTable } from '../analysis/kernel-table.js';
import { cell } from '../analysis/kernel-table.js';
import type { Model } from '../model/model.js';
import type { CSpelling } from './c-names.js';
import { columns } from './c-names.js';

/**
 * The next-step table as the kernel writes it: a static two-dimensional u8
 * array inside the function, one designated initializer a row and one a cell,
 * rows and columns in the spec's order, every cell spelled out (a left-out
 * cell would silently mean 0, the sink). For the bundled mainline and 5.18
 * specs this text is byte for byte the kernel's.
 */
export function cTable(model: Model, table: KernelTable, c: CSpelling): string {
  const lines = [`\tstatic const u8 ${model.c.table}[${c.dimension}][${c.dimension}] = {`];
  for (const row of model.order) {
    lines.push(`\t\t[${c.state(row)}] = {`);
    for (const col of model.order) lines.push(`\t\t\t[${c.state(col)}] = ${c.state(cell(table, row, col))},`);
    lines.push('\t\t},');
  }
  lines.push('\t};');
  return lines.join('\n');
}

/** Past this column a flags entry continues on the next line, kernel style. */
const WIDTH = 80;

/**
 * The flags each state needs, as the lookups from 5.18 on read them. The
 * sink's entry is all ones: no device has every bit, so the sink never counts
 * as a state the device has.
 */
export function cFlagsTable(model: Model, c: CSpelling): string {
  const lines = [`\tstatic const unsigned int ${model.c.flagsTable}[${c.dimension}] = {`];
  for (const s of model.order) {
    const state = model.states[s]!;
    const head = `\t\t[${c.state(s)}] =`;
    if (state.sink) {
      lines.push(`${head} ~0U,`);
      continue;
    }
    const terms = model.flags.filter((f) => (state.needs & f.bit) !== 0).map((f) => c.flag(f.bit));
    const value = terms.length ? terms : ['0'];
    const oneLine = `${head} ${value.join(' | ')},`;
    if (columns(oneLine) <= WIDTH) {
      lines.push(oneLine);
      continue;
    }
    lines.push(head);
    let line = '\t\t\t';
    value.forEach((term, i) => {
      const piece = i === value.length - 1 ? `${term},` : `${term} |`;
      const joined = line === '\t\t\t' ? `${line}${piece}` : `${line} ${piece}`;
      if (line !== '\t\t\t' && columns(joined) > WIDTH) {
        lines.push(line);
        line = `\t\t\t${piece}`;
      } else line = joined;
    });
    lines.push(line);
  }
  lines.push('\t};');
  return lines.join('\n');
}
