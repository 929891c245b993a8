import { readFileSync } from 'node:fs';
import { SourceText } from '../../src/common/source.js';
import type { DriverCheck, DriverInputs } from '../../src/kernel/driver/check-driver.js';
import { checkDriver } from '../../src/kernel/driver/check-driver.js';
import { bundled } from '../support/compile.js';

export const DRIVERS = 'test/fixtures/drivers';
export const MAINLINE = 'spec/vfio-migration.fsm';

export function fixture(name: string): string {
  return readFileSync(`${DRIVERS}/${name}`, 'utf8');
}

/** `text` with `from` replaced by `to`; fails loudly when the edit does not apply. */
export function edited(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`edit did not apply: ${from}`);
  return text.replace(from, to);
}

/** Line and column (1-based) of `needle` in `text`, at its `nth` occurrence. */
export function at(text: string, needle: string, nth = 1): { line: number; column: number } {
  let i = -1;
  for (let k = 0; k < nth; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`not found: ${needle}`);
  const before = text.slice(0, i);
  return { line: before.split('\n').length, column: i - before.lastIndexOf('\n') };
}

/** The driver reader on texts (path -> text), as the CLI runs it. */
export function driver(files: Readonly<Record<string, string>>, options: Omit<DriverInputs, 'sources'> = {}, spec = MAINLINE): DriverCheck {
  return checkDriver(bundled(spec), { ...options, sources: Object.entries(files).map(([path, text]) => new SourceText(path, text)) });
}
