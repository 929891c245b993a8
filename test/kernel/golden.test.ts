// The kernel reports on every era fixture and mutant, byte for byte, as
// committed under test/golden/kernel/: a change that moves a single
// character of what a reviewer reads shows up here as a diff. After a
// deliberate change, rewrite them with VFIO_FSM_UPDATE_GOLDEN=1 and review
// the diff before committing.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kernelText } from '../../src/report/kernel-report.js';
import { ERAS, FIXTURES, kernel } from './support.js';

const GOLDEN = 'test/golden/kernel';
const UPDATE = process.env['VFIO_FSM_UPDATE_GOLDEN'] === '1';

interface Case {
  readonly name: string;
  readonly file: string;
  readonly spec: string;
}

const cases: Case[] = [];
for (const era of ERAS) {
  cases.push({ name: era.fixture, file: `${FIXTURES}/${era.fixture}.c`, spec: era.spec });
  for (const m of readdirSync(`${FIXTURES}/mutants`).filter((f) => f.startsWith(`${era.fixture}-`)).sort()) {
    cases.push({ name: `mutants/${m.replace(/\.c$/, '')}`, file: `${FIXTURES}/mutants/${m}`, spec: era.spec });
  }
}

/** What `vfio-fsm kernel FILE --spec SPEC` prints, warnings first as on a terminal without colour, then the report and its JSON. */
async function rendered(c: Case): Promise<string> {
  const r = await kernel(c.file, c.spec);
  if (!r.ok) return r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`).join('\n');
  const warnings = r.warnings.map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}\n`).join('');
  return `${warnings}${kernelText(r.report)}\n\n${JSON.stringify(r.report, null, 2)}\n`;
}

describe('kernel reports are what the golden files say', () => {
  it('covers every era and every mutant', () => {
    expect(cases.length).toBe(ERAS.length * 7);
  });
  for (const c of cases) {
    it(`${c.name} against ${c.spec}`, async () => {
      const path = `${GOLDEN}/${c.name}.txt`;
      const text = await rendered(c);
      if (UPDATE) {
        mkdirSync(`${GOLDEN}/mutants`, { recursive: true });
        writeFileSync(path, text);
      }
      expect(text).toBe(readFileSync(path, 'utf8'));
    });
  }
});
