import type { Model } from '../model/model.js';

/**
 * The C spellings of a model's names. The spec names the enum, the prefixes,
 * the tables and the function; the array dimension has no setting of its own,
 * so it is derived from the state prefix the way the kernel spells it
 * (VFIO_DEVICE_STATE_ gives VFIO_DEVICE_NUM_STATES).
 */
export interface CSpelling {
  readonly state: (value: number) => string;
  readonly flag: (bit: number) => string;
  /** The name of the local enum constant that sizes both tables. */
  readonly dimension: string;
  /** The state with the largest value, whose constant plus one is the dimension. */
  readonly lastState: string;
}

export function cSpelling(model: Model): CSpelling {
  const prefix = model.c.statePrefix;
  const dimension = prefix.endsWith('STATE_') ? `${prefix.slice(0, -'STATE_'.length)}NUM_STATES` : `${prefix}NUM_STATES`;
  const byBit = new Map(model.flags.map((f) => [f.bit, `${model.c.flagPrefix}${f.name}`]));
  return {
    state: (value) => `${prefix}${model.states[value]!.name}`,
    flag: (bit) => byBit.get(bit)!,
    dimension,
    lastState: `${prefix}${model.states[model.states.length - 1]!.name}`,
  };
}

/** Columns a line occupies with kernel tabs of eight. */
export function columns(line: string): number {
  let col = 0;
  for (const ch of line) col = ch === '\t' ? col + 8 - (col % 8) : col + 1;
  return col;
}

/** Tabs then spaces reaching `column`, the way kernel code aligns continuation lines. */
export function indentTo(column: number): string {
  return '\t'.repeat(Math.floor(column / 8)) + ' '.repeat(column % 8);
}

/** A C block comment at one tab of indentation, one line of text a line. */
export function blockComment(lines: readonly string[], indent = '\t'): string {
  const body = lines.map((l) => (l === '' ? `${indent} *` : `${indent} * ${l}`));
  return [`${indent}/*`, ...body, `${indent} */`].join('\n');
}

/** Splits a paragraph into lines that fit `width` columns after `prefix`. */
export function wrap(paragraph: string, prefix: string, width = 80): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of paragraph.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (line && columns(`${prefix}${next}`) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}
