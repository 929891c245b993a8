import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runSpin } from '../../src/cli/oracle-spin.js';
import { compareFindings } from '../../src/oracle/compare.js';
import { oracleText } from '../../src/oracle/report.js';
import type { SpinFinding } from '../../src/oracle/trail.js';
import type { Model } from '../../src/model/model.js';
import { flagNames } from '../../src/model/model.js';
import { bundled, model, names } from '../support/compile.js';
import { DEEP, sample } from '../support/depth.js';
import { FAILING_TINY_SPECS } from '../support/tiny-specs.js';
import { runCli } from '../support/run-cli.js';
import { hasSpin, promela, skipReason } from './support.js';

const BUNDLED = (readdirSync('spec', { recursive: true }) as string[])
  .filter((f) => f.endsWith('.fsm'))
  .map((f) => `spec/${f}`)
  .sort();

/** SPIN's findings on a model text, failing the test if the search is inconclusive. */
async function spin(text: string, m: Model): Promise<{ findings: readonly SpinFinding[]; stats: { states: number; depth: number; errors: number; seconds: number } }> {
  const outcome = await runSpin(text, promela(m).bounds);
  if (outcome.kind !== 'done') throw new Error(`SPIN inconclusive: ${outcome.reason}`);
  return outcome;
}

function shown(m: Model, f: SpinFinding): string {
  return `${f.property} {${flagNames(m, f.flags).join(',')}} ${names(m, [f.current, f.target]).join(' -> ')}${f.walk.length ? ` ${names(m, f.walk).join(',')}` : ''}`;
}

describe.skipIf(!hasSpin)(`SPIN confirms every verdict${skipReason}`, () => {
  // Every bundled spec under test:deep; by default the two that matter most (the dedicated tests below cover the same two again).
  test.each(DEEP ? BUNDLED : BUNDLED.filter((p) => p === 'spec/vfio-migration.fsm' || p === 'spec/history/linux-6.2.fsm'))('%s: SPIN finds exactly what the checker finds', async (path) => {
    const m = bundled(path);
    const { result, text } = promela(m);
    const { findings } = await spin(text, m);
    const c = compareFindings(result.violations, findings);
    expect(c.onlyChecker).toEqual([]);
    expect(c.onlySpin).toEqual([]);
    expect(c.walkDiffers).toEqual([]);
    expect(c.agree).toBe(true);
    expect(c.both.length).toBe(new Set(result.violations.map((v) => `${v.property}|${v.flags}|${v.widened ?? 0}|${v.current}|${v.target}`)).size);
  });

  test('mainline: SPIN finds nothing', async () => {
    const m = bundled('spec/vfio-migration.fsm');
    const { findings, stats } = await spin(promela(m).text, m);
    expect(findings).toEqual([]);
    expect(stats.errors).toBe(0);
    expect(stats.states).toBeGreaterThan(1000);
  });

  test('linux-6.2: exactly the three never-ending requests, decoded from the trails', async () => {
    const m = bundled('spec/history/linux-6.2.fsm');
    const { findings } = await spin(promela(m).text, m);
    expect(findings.map((f) => shown(m, f)).sort()).toEqual([
      'termination {STOP_COPY,P2P,PRE_COPY} STOP_COPY -> PRE_COPY ERROR',
      'termination {STOP_COPY,P2P,PRE_COPY} STOP_COPY -> PRE_COPY_P2P ERROR',
      'termination {STOP_COPY,PRE_COPY} STOP_COPY -> PRE_COPY ERROR',
    ]);
    expect(findings.every((f) => f.stands === "the lookup's loop ends within NSTATES rounds")).toBe(true);
  });

  test.each(sample(Object.entries(FAILING_TINY_SPECS), ([name]) => name === 'unreachable'))("the checker's failing example %s: found by both", async (_name, text) => {
    const m = model(text);
    const { result, text: pml } = promela(m);
    expect(result.ok).toBe(false);
    const { findings } = await spin(pml, m);
    const c = compareFindings(result.violations, findings);
    expect({ onlyChecker: c.onlyChecker, onlySpin: c.onlySpin.map((f) => shown(m, f)), walkDiffers: c.walkDiffers.length }).toEqual({ onlyChecker: [], onlySpin: [], walkDiffers: 0 });
    expect(c.both.length).toBeGreaterThan(0);
    expect(new Set(c.both.map((b) => b.spin.property))).toEqual(new Set(result.violations.map((v) => v.property)));
  });

  test('a flag at bit 31 (negative as a Promela int): SPIN agrees, and finds nothing', async () => {
    const m = model(`machine top
flags { M = 1 << 0 mandatory; HIGH = 1 << 31 }
states { E = 0 sink; A = 1 needs M; B = 2 needs M; H = 3 needs M, HIGH }
order A, B, H, E
arcs { A <-> B; B <-> H when HIGH }
rule shortest
lookup linux-5.18`);
    const { result, text } = promela(m);
    const { findings } = await spin(text, m);
    expect(compareFindings(result.violations, findings).agree).toBe(true);
    expect(findings).toEqual([]);
  });

  test('a model with one table cell flipped makes the oracle report a disagreement', async () => {
    const m = bundled('spec/vfio-migration.fsm');
    const { result, text } = promela(m);
    const cell = '\tNEXT(S_STOP, S_RUNNING) = S_RUNNING_P2P;';
    expect(text).toContain(cell);
    const broken = text.replace(cell, '\tNEXT(S_STOP, S_RUNNING) = S_RUNNING;');
    const outcome = await spin(broken, m);
    const c = compareFindings(result.violations, outcome.findings);
    expect(c.agree).toBe(false);
    expect(c.onlyChecker).toEqual([]);
    const spinOnly = c.onlySpin.map((f) => shown(m, f));
    // With P2P, STOP -> RUNNING is no arc: the walk is handed it straight away.
    expect(spinOnly).toContain('table {STOP_COPY,P2P} STOP -> RUNNING STOP,RUNNING');
    expect(spinOnly).toContain('table {STOP_COPY,P2P,PRE_COPY} STOP -> RUNNING STOP,RUNNING');
    const report = oracleText(m, c, outcome.stats);
    expect(report).toContain('SPIN DISAGREES with the checker on spec/vfio-migration.fsm');
    expect(report).toContain('only SPIN: table under {STOP_COPY,P2P}: STOP -> RUNNING');
    expect(report).toContain('(each step handed to the driver is an arc of A(F)); walk STOP -> RUNNING');
    expect(report).toContain('checker: no violation for this request');
  });

  test('vfio-fsm check --oracle spin: agreement on a failing spec exits 1 with both verdicts printed', async () => {
    const r = await runCli(['check', '--oracle', 'spin', 'spec/history/linux-6.2.fsm']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL: 3 violations of termination');
    expect(r.stdout).toContain('oracle spin: SPIN agrees with the checker on spec/history/linux-6.2.fsm: the same 3 violations');
    expect(r.stdout).toContain('  = termination under {STOP_COPY,PRE_COPY}: STOP_COPY -> PRE_COPY, loop ERROR -> ERROR ...');
  });

  test('vfio-fsm check --oracle spin --json: the oracle member; --flags narrows the comparison', async () => {
    const r = await runCli(['check', '--oracle', 'spin', '--json', '--flags', 'STOP_COPY,PRE_COPY', 'spec/history/linux-6.2.fsm']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as { oracle: { agree: boolean; both: { current: string; target: string; flags: string[] }[] } };
    expect(json.oracle.agree).toBe(true);
    expect(json.oracle.both.map((b) => `${b.flags.join(',')} ${b.current} -> ${b.target}`)).toEqual(['STOP_COPY,PRE_COPY STOP_COPY -> PRE_COPY']);
    const ok = await runCli(['check', '--oracle', 'spin', 'spec/vfio-migration.fsm']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('oracle spin: SPIN agrees with the checker on spec/vfio-migration.fsm: no violation');
  });
});

describe('vfio-fsm check --oracle, without SPIN', () => {
  test('an oracle other than spin is a usage error, exit 2', async () => {
    const r = await runCli(['check', '--oracle', 'nusmv', 'spec/vfio-migration.fsm']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("argument 'nusmv' is invalid. Allowed choices are spin.");
  });

  test('spin or cc missing from PATH: a clear message, exit 2', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'vfio-fsm-nopath-'));
    const saved = process.env.PATH;
    process.env.PATH = empty;
    try {
      const r = await runCli(['check', '--oracle', 'spin', 'spec/vfio-migration.fsm']);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('vfio-fsm check: --oracle spin needs `spin` and `cc` on PATH, and they are missing (on Debian: apt-get install spin gcc)\n');
      expect(r.stdout).toBe('');
    } finally {
      process.env.PATH = saved;
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
