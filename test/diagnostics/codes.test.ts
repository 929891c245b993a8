// One registry of diagnostic codes (src/diagnostics/codes.ts): the README
// lists exactly its codes, each with its meaning, and the tool emits every
// one of them somewhere.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODES, isCode } from '../../src/diagnostics/codes.js';

/** `| VF030 | meaning |` rows of the README's tables of codes. */
function readmeRows(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const m of readFileSync('README.md', 'utf8').matchAll(/^\| (VF\d{3}) \| (.*) \|$/gm)) {
    expect(rows.has(m[1]!), `${m[1]} is listed twice in the README`).toBe(false);
    rows.set(m[1]!, m[2]!);
  }
  return rows;
}

function sources(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f));
}

describe('the registry of diagnostic codes', () => {
  it('the README lists exactly the registry, each code with its meaning', () => {
    expect(Object.fromEntries(readmeRows())).toEqual(CODES);
  });

  it('every registered code is emitted by some source file', () => {
    const used = new Set<string>();
    for (const file of sources('src')) {
      if (file.endsWith('codes.ts')) continue;
      for (const m of readFileSync(file, 'utf8').matchAll(/'(VF\d{3})'/g)) used.add(m[1]!);
    }
    expect(Object.keys(CODES).filter((c) => !used.has(c))).toEqual([]);
  });

  it('tells codes from other text', () => {
    expect(isCode('VF030')).toBe(true);
    expect(isCode('VF999')).toBe(false);
    expect(isCode('toString')).toBe(false);
  });
});
