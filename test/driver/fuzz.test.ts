// The driver reader on damaged drivers: every fixture, edited at random
// (deletions, insertions of C tokens and driver words, duplications), must
// end in a report or in located diagnostics, never in an exception or a
// hang, and whatever it reports must point inside the file.
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SourceText } from '../../src/common/source.js';
import { MAX_VISITS } from '../../src/kernel/driver/arcs.js';
import { checkDriver } from '../../src/kernel/driver/check-driver.js';
import { bundled } from '../support/compile.js';
import { runs, seed } from '../support/depth.js';
import { driver, edited, fixture } from './support.js';

const MODEL = bundled('spec/vfio-migration.fsm');
const FILES = readdirSync('test/fixtures/drivers').filter((f) => f.endsWith('.c'));

const SNIPPETS = [
  '(', ')', '{', '}', ';', ':', '&&', '||', '!', '==', '!=', '=', '|=', '&=', ',', '->', '*', '&', '?', '/*', '*/', '"', "'", '#', '\n',
  'if', 'else', 'switch', 'case', 'default', 'goto', 'break', 'return', 'while', 'for', 'do', 'struct', 'enum', 'u32',
  'cur', 'new', 'next', 'VFIO_DEVICE_STATE_STOP', 'VFIO_DEVICE_STATE_BOGUS', 'VFIO_MIGRATION_P2P', 'VFIO_MIGRATION_BOGUS',
  'migration_flags', 'vfio_mig_get_next_state', 'WARN_ON(true);', 'ERR_PTR(-EINVAL)', 'err:', '0', '0x', '',
];

const edit = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...SNIPPETS) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 200 }) }),
);
type Edit = typeof edit extends fc.Arbitrary<infer E> ? E : never;

function damage(text: string, edits: readonly Edit[]): string {
  let out = text;
  for (const e of edits) {
    const at = out.length ? e.at % out.length : 0;
    if (e.kind === 'delete') out = out.slice(0, at) + out.slice(at + e.length);
    else if (e.kind === 'insert') out = out.slice(0, at) + e.text + out.slice(at);
    else out = out.slice(0, at + e.length) + out.slice(at, at + e.length) + out.slice(at + e.length);
  }
  return out;
}

describe('the driver reader on damaged drivers', () => {
  it('ends in a report or located diagnostics, inside the file, for every damage', () => {
    let reports = 0;
    fc.assert(
      fc.property(fc.constantFrom(...FILES), fc.array(edit, { minLength: 1, maxLength: 4 }), (name, edits) => {
        const text = damage(readFileSync(`test/fixtures/drivers/${name}`, 'utf8'), edits);
        const lines = text.split('\n').length;
        const r = checkDriver(MODEL, { sources: [new SourceText(name, text)] });
        const diagnostics = r.ok ? r.warnings : r.diagnostics;
        for (const d of diagnostics) {
          expect(d.file).toBe(name);
          expect(d.span.start).toBeGreaterThanOrEqual(0);
          expect(d.span.end).toBeLessThanOrEqual(text.length);
          expect(d.code).toMatch(/^VF(4\d\d|09\d)$/);
        }
        if (!r.ok) {
          expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
          return;
        }
        reports++;
        for (const f of r.report.functions) {
          for (const x of [...f.handled, ...f.undecided, { line: f.line }]) expect(x.line).toBeLessThanOrEqual(lines);
          expect(f.flagSets.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: runs(3000), ...seed() },
    );
    // Damage must leave most drivers readable, or only the error paths were exercised.
    expect(reports).toBeGreaterThan(runs(3000) / 3);
  });

  it('tests nested deep are read in one pass per side, and a body read too often stops with an undecided entry, not a hang', () => {
    const base = fixture('conform-stop-copy.c');
    const marker = '\t/* vfio_mig_get_next_state() hands out no other arc */';
    // 18 nested tests that each leave one side open: read once per side (2^18 reads, were they read once per path, would pass MAX_VISITS).
    // Deeper nesting is refused before the grammar runs (the kernel reader's nesting limit, VF251 inside VF402).
    const depth = 18;
    const open = Array.from({ length: depth }, (_, k) => `if (cur != VFIO_DEVICE_STATE_${k % 2 ? 'STOP' : 'RUNNING'} || new != VFIO_DEVICE_STATE_${k % 2 ? 'RESUMING' : 'STOP_COPY'}) {`).join('\n');
    const nested = driver({ 'deep.c': edited(base, marker, `${open}\nlynx_note(lvdev);\n${'}'.repeat(depth)}\n${marker}`) });
    expect(nested.ok && nested.report.functions[0]!.undecided).toEqual([]);
    // 500 sections that fall through into each other: the statements below each label are read again for it.
    const sections = Array.from({ length: 500 }, () => '\tcase VFIO_DEVICE_STATE_STOP:\n\t\tlynx_note(lvdev);').join('\n');
    const r = driver({ 'falls.c': edited(base, marker, `\tswitch (cur) {\n${sections}\n\t}\n${marker}`) });
    expect(r.ok && r.report.functions[0]!.undecided.map((u) => u.reason)).toEqual([`the tests nest too deeply to be read within ${MAX_VISITS} steps; the reader stopped here`]);
  });
});
