// The limits of issue 16 and the out-of-table probes of issue 10: too many
// flag sets to check (VF100, exit 2), a spec of 256 states, and a flood of
// diagnostics (the first 100 printed, then how many more).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { check } from '../../src/analysis/check.js';
import { driverArcs } from '../../src/analysis/driver-arcs.js';
import { FlagSetLimitError, flagSetRefusal, genFlagSetLimit } from '../../src/analysis/flag-space.js';
import { deriveTable } from '../../src/analysis/kernel-table.js';
import { REFUSED_RANGE, lookupCode } from '../../src/analysis/lookup.js';
import { outOfTableValues } from '../../src/analysis/out-of-table.js';
import { writeJson } from '../../src/cli/json-stream.js';
import { capDiagnostics, MAX_PRINTED_DIAGNOSTICS } from '../../src/diagnostics/cap.js';
import { formatDiagnostic } from '../../src/diagnostics/format.js';
import { inputValues } from '../../src/kernel/checks/evaluation.js';
import { compileSpec } from '../../src/model/front-end.js';
import { LOOKUP_VARIANTS } from '../../src/model/model.js';
import { cubesPhrase } from '../../src/report/flag-phrase.js';
import { SourceText } from '../../src/common/source.js';
import { model } from '../support/compile.js';
import { DEEP } from '../support/depth.js';
import { runCli } from '../support/run-cli.js';
import { mentionedFlags, range, readRepoFile } from './spec-variants.js';

const dir = mkdtempSync(join(tmpdir(), 'vfio-fsm-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function specFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}


describe('too many flag sets to check (VF100)', () => {
  const text = mentionedFlags(24);
  const flagsLine = text.split('\n').findIndex((l) => l.startsWith('flags {')) + 1;

  test('a spec with 24 mentioned flags is refused: a located diagnostic at its flags block, exit 2', async () => {
    const path = specFile('mentioned-24.fsm', text);
    const r = await runCli(['check', path]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const [head, source, caret] = r.stderr.trimEnd().split('\n');
    expect(head).toBe(
      `${path}:${flagsLine}:1: error VF100: 24 flags are mentioned by states, arcs or the lookup: that is 2^24 = 16,777,216 flag sets to check one by one, over the limit of 1,048,576; raise it with --max-flag-sets (at most 2,097,152) or split the spec`,
    );
    expect(source).toMatch(/^ +\d+ \| flags \{ F0 = 1 << 0 mandatory;/);
    expect(caret).toMatch(/^ +\| \^{5}$/);

    const j = await runCli(['check', path, '--json']);
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout)).toMatchObject({ ok: false, spec: path, diagnostics: [{ code: 'VF100', line: flagsLine, column: 1, endColumn: 6 }], diagnosticsOmitted: 0 });
  });

  test.each([['arcs'], ['diff', 'spec/vfio-migration.fsm'], ['gen', '--check', '--out'], ['kernel', 'test/fixtures/kernel/linux-7.2.c', '--spec']])(
    '`%s` refuses it the same way instead of enumerating',
    async (command, ...rest) => {
      const path = specFile('mentioned-24.fsm', text);
      const args = command === 'gen' ? ['gen', path, ...rest, join(dir, 'out')] : [command, ...rest, path];
      const r = await runCli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`:${flagsLine}:1: error VF100: 24 flags are mentioned by`);
    },
  );

  test('gen is stricter: its JSON lists every request of every flag set', async () => {
    // 2^14 flag sets of 15 states would be some 200 MB of JSON; check takes them in seconds.
    const path = specFile('mentioned-14.fsm', mentionedFlags(14));
    const r = await runCli(['gen', path, '--check', '--out', join(dir, 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'error VF100: 14 flags are mentioned by states, arcs or the lookup: that is 2^14 = 16,384 flag sets to check one by one, over the limit of 9,320; gen writes every request of every flag set (at most 2,097,152 with 15 states); split the spec',
    );
    expect(genFlagSetLimit(model(readRepoFile('spec/vfio-migration.fsm')))).toBe(32768);
  });

  test('--flags checks one flag set of it, which needs no bound', async () => {
    const r = await runCli(['check', specFile('mentioned-24.fsm', text), '--flags', 'F0,F3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('16,777,215 of the 16,777,216 flag sets were not checked');
  });

  test('--max-flag-sets moves the limit, and must be a whole number in range', async () => {
    expect((await runCli(['check', '--max-flag-sets', '7'])).code).toBe(2);
    expect((await runCli(['check', '--max-flag-sets', '7'])).stderr).toContain('error VF100: 3 flags are mentioned by states, arcs or the lookup: that is 2^3 = 8 flag sets');
    expect((await runCli(['check', '--max-flag-sets', '8'])).code).toBe(0);
    for (const bad of ['0', '-3', 'lots', '1e3', '2097153']) {
      const r = await runCli(['check', '--max-flag-sets', bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--max-flag-sets must be a whole number from 1 to 2097152');
    }
  });

  test('the library refuses too: check() throws instead of running for hours', () => {
    const m = model(text);
    expect(flagSetRefusal(m)?.space.direct).toBe(2 ** 24);
    expect(() => check(m)).toThrow(FlagSetLimitError);
  });

  test('flags nothing mentions do not count towards the limit', () => {
    // 21 mentioned flags would be refused; 20 mentioned plus 12 unused are not.
    const text20 = mentionedFlags(20).replace('flags { ', `flags { ${range(20, 31).map((b) => `U${b} = 1 << ${b}`).join('; ')}; `);
    const refusal = flagSetRefusal(model(text20));
    expect(refusal).toBeUndefined();
  });
});

describe('a spec with 256 states (u8 cells full)', () => {
  const n = 256;
  const names = range(1, n - 1).map((i) => `S${i}`);
  const text = [
    'machine big',
    'flags { M = 1 << 0 mandatory }',
    `states { ERROR = 0 sink; ${names.map((s, i) => `${s} = ${i + 1} needs M`).join('; ')} }`,
    `order ${names.join(', ')}, ERROR`,
    `arcs { ${names.slice(1).map((s, i) => `${names[i]} <-> ${s}`).join('; ')} }`,
    'rule shortest',
    'lookup linux-7.2',
  ].join('\n');

  test('checks without false sink violations: state 255 is in the table', () => {
    const m = model(text);
    expect(m.states).toHaveLength(256);
    const r = check(m);
    expect(r.violations.filter((v) => v.property === 'sink')).toEqual([]);
    expect(r.ok).toBe(true);
    // 255 is a real state here; the lookup answers it like any other.
    const t = deriveTable(m);
    expect(lookupCode('linux-7.2', t, 255, 1, 1)).toBe(254);
    expect(lookupCode('linux-7.2', t, 256, 1, 1)).toBe(REFUSED_RANGE);
  });

  test('the out-of-table probes are derived from the table size, for the checker and the kernel evaluation alike', () => {
    expect(outOfTableValues(256)).toEqual([256, 0x7fffffff, 0xffffffff]);
    expect(outOfTableValues(255)).toEqual([255, 0x7fffffff, 0xffffffff]);
    expect(outOfTableValues(8)).toEqual([8, 255, 0x7fffffff, 0xffffffff]);
    expect(inputValues(8)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 255, 0x7fffffff, 0xffffffff]);
    const values = inputValues(256);
    expect(values).toHaveLength(259);
    expect(new Set(values).size).toBe(values.length);
    // Every probe is refused as out of range by every lookup, at every size.
    for (const size of [2, 8, 255, 256]) {
      const t = { size, sink: 0, mandatory: 1, cells: new Uint8Array(size * size), needs: new Uint32Array(size) };
      for (const variant of LOOKUP_VARIANTS) for (const bad of outOfTableValues(size)) expect(lookupCode(variant, t, bad, 0, 1)).toBe(REFUSED_RANGE);
    }
  });
});

describe('a flood of diagnostics', () => {
  const mainline = readRepoFile('spec/vfio-migration.fsm');
  // 20,000 errors under npm run test:deep (the flood that took 30 s once), 5,000 by default.
  const N = DEEP ? 20_000 : 5_000;
  const more = `… and ${(N - 100).toLocaleString('en-US')} more errors, not shown (the first 100 of ${N.toLocaleString('en-US')} are)`;
  /** N unknown states, one arc a line. */
  const flood = mainline.replace('arcs {\n', `arcs {\n${range(0, N - 1).map((k) => `  STOP -> NOPE${k}\n`).join('')}`);
  /** N duplicated blocked requests on one line (some 440 KB at 20,000). */
  const oneLine = `${mainline}\nblock ${Array.from({ length: N + 1 }, () => 'RUNNING -> STOP_COPY').join(', ')}\n`;

  test('every error is found, once', () => {
    const { diagnostics } = compileSpec(new SourceText('flood.fsm', flood));
    expect(diagnostics).toHaveLength(N);
    expect(new Set(diagnostics.map((d) => d.line)).size).toBe(N);
    expect(compileSpec(new SourceText('one-line.fsm', oneLine)).diagnostics).toHaveLength(N);
  });

  test('text: the first 100 are printed, then how many more', async () => {
    const path = specFile('flood.fsm', flood);
    const r = await runCli(['check', path]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines.filter((l) => l.includes(': error VF030: '))).toHaveLength(MAX_PRINTED_DIAGNOSTICS);
    expect(lines.at(-1)).toBe(more);
    // In file order: the first shown is the first in the file.
    expect(lines[0]).toContain('error VF030: unknown state `NOPE0`');
  });

  test('JSON: the first 100, and the count left out', async () => {
    for (const command of ['check', 'parse', 'arcs']) {
      const r = await runCli([command, specFile('flood.fsm', flood), '--json']);
      expect(r.code).toBe(2);
      const doc = JSON.parse(r.stdout) as { diagnostics: unknown[]; diagnosticsOmitted: number };
      expect(doc.diagnostics).toHaveLength(100);
      expect(doc.diagnosticsOmitted).toBe(N - 100);
    }
  });

  test('one very long line is shown as a window around each span, so the output stays small', async () => {
    const r = await runCli(['check', specFile('one-line.fsm', oneLine)]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe(more);
    // 100 diagnostics of three lines each, none of them the whole (long) line.
    expect(r.stderr.length).toBeLessThan(100 * 600);
    const lines = r.stderr.split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(200);
  });

  test('the window keeps the caret under the span', () => {
    const text = `${'x'.repeat(300)} BAD ${'y'.repeat(300)}\n`;
    const start = text.indexOf('BAD');
    const source = new SourceText('long.fsm', text);
    const d = { code: 'VF001' as const, severity: 'error' as const, message: 'm', file: 'long.fsm', line: 1, column: start + 1, endLine: 1, endColumn: start + 4, span: { start, end: start + 3 } };
    const [, shown, caret] = formatDiagnostic(d, source).split('\n');
    const at = caret!.indexOf('^');
    expect(shown!.slice(at, at + 3)).toBe('BAD');
    expect(caret!.slice(at)).toBe('^^^');
    expect(shown!.startsWith('   1 | …')).toBe(true);
    expect(shown!.endsWith('…')).toBe(true);
  });

  test('the count line names warnings apart from errors', () => {
    const d = (severity: 'error' | 'warning') => ({ code: 'VF001' as const, severity, message: '', file: 'f', line: 1, column: 1, endLine: 1, endColumn: 1, span: { start: 0, end: 0 } });
    const capped = capDiagnostics([...Array.from({ length: 101 }, () => d('error')), d('warning'), d('warning')]);
    expect(capped).toMatchObject({ omitted: 3, omittedErrors: 1, omittedWarnings: 2 });
  });
});

describe('JSON output in pieces', () => {
  test('writes exactly what JSON.stringify(value, null, 2) writes, in pieces', () => {
    const values: unknown[] = [
      { ok: true, list: [], empty: {}, nested: [[1, 2], ['a', null]], s: 'quote " and \u2028', n: -0.5, skip: undefined },
      [undefined, 1, { a: undefined }],
      'plain',
      null,
      { big: Array.from({ length: 5000 }, (_, i) => ({ flags: [`F${i}`], requiredArcs: [['A', 'B']] })) },
    ];
    for (const v of values) {
      const pieces: string[] = [];
      writeJson(v, (t) => pieces.push(t));
      expect(pieces.join('')).toBe(`${JSON.stringify(v, null, 2)}\n`);
    }
    const pieces: string[] = [];
    writeJson(values[4], (t) => pieces.push(t));
    expect(pieces.length).toBeGreaterThan(1);
  });
});

describe('arcs of a spec with many optional flags', () => {
  test('past 8 optional flags, an arc present under a conjunction still reads as that one condition', () => {
    const m = model(mentionedFlags(12));
    const d = driverArcs(m);
    expect(d.groups).toHaveLength(11);
    for (const g of d.groups) expect(g.cubes).toHaveLength(1);
    const phrase = d.groups.map((g) => `${cubesPhrase(m, g.cubes)}: ${g.arcs.map(([a, b]) => `${m.states[a]!.name}->${m.states[b]!.name}`).join(' ')}`);
    expect(phrase[0]).toBe('with F1: S1->S2 S2->S1');
    expect(phrase[10]).toBe('with F11: S1->S12 S12->S1');
    expect(d.flagSets).toHaveLength(2 ** 11);
  });

  test('an arc present under a disjunction falls back to one condition per flag set, and says so exactly', () => {
    // S2 -> S1 exists with F8 or with F9 (and F1, which S2 needs): no single condition says that.
    const text = mentionedFlags(10).replace('arcs { S1 <-> S2; ', 'arcs { S1 -> S2; S2 -> S1 when F8; S2 -> S1 when F9; ');
    const m = model(text);
    const d = driverArcs(m);
    const back = d.groups.find((g) => g.arcs.some(([a, b]) => m.states[a]!.name === 'S2' && m.states[b]!.name === 'S1'))!;
    const optional = (m.flagMask & ~m.mandatory.bit) >>> 0;
    // One condition per flag set that takes the arc (F1, and F8 or F9: 2^6 * 3 of them), each naming every optional flag.
    expect(back.cubes).toHaveLength(192);
    for (const c of back.cubes) expect((c.require | c.forbid) >>> 0).toBe(optional);
  });
});
