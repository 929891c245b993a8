// The verdicts a reviewer reads, on the fixtures of test/fixtures/kernel/verdicts
// (see its README for how each was made and what it must give): agree only
// when proven, disagree on anything shown that contradicts the spec (a
// never-ending request above all), inconclusive for what was not seen, one
// verdict per mail of a series, and the era the code is.
import { describe, expect, it } from 'vitest';
import type { KernelReport } from '../../src/kernel/checks/result.js';
import { runCli } from '../support/run-cli.js';
import { FIXTURES, inputKey, kernel, report } from './support.js';

const V = `${FIXTURES}/verdicts`;
const MAINLINE = 'spec/vfio-migration.fsm';
const THREE = ['STOP_COPY -> PRE_COPY {STOP_COPY,P2P,PRE_COPY}', 'STOP_COPY -> PRE_COPY {STOP_COPY,PRE_COPY}', 'STOP_COPY -> PRE_COPY_P2P {STOP_COPY,P2P,PRE_COPY}'];
const HEADING = 'the heading "Without P2P and precopy the driver must implement:" is read as: without P2P, without PRE_COPY; with {STOP_COPY, PRE_COPY} the table also takes STOP -> RUNNING, RUNNING -> STOP, which no heading that applies to those flags lists';
const LOOP_FIX = 'the 7.2 loop fix (commit a26b499b757c)';

function hangs(r: Pick<KernelReport, 'evaluation'>): string[] {
  return r.evaluation.nonTerminating.map(inputKey).sort();
}

describe('a fixed kernel in the real comment wording', () => {
  it('agrees, with one located warning about the heading that prose reads as "neither P2P nor precopy"', async () => {
    const r = await kernel(`${V}/fixed-era.c`, MAINLINE);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.report.verdict).toBe('agree');
    expect(r.report.matches).toEqual(['vfio-migration']);
    expect(r.report.comment.warnings).toEqual([{ at: { file: `${V}/fixed-era.c`, line: 112, column: 5 }, line: 'Without P2P and precopy the driver must implement:', readAs: 'without P2P, without PRE_COPY', message: HEADING }]);
    expect(r.warnings.map((d) => `${d.code} ${d.line}:${d.column}`)).toEqual(['VF241 112:5']);
    const cli = await runCli(['kernel', `${V}/fixed-era.c`]);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain(`  warning: ${V}/fixed-era.c:112:5: ${HEADING}`);
    expect(cli.stdout.trimEnd().split('\n').at(-1)).toBe('verdict: agree: kernel and spec agree');
  });

  it('with the 6.2-7.1 loop it disagrees on exactly the three never-ending requests, is the linux-6.2 lookup, and lacks the 7.2 fix', async () => {
    const r = await report(`${V}/fixed-era-old-loop.c`, MAINLINE);
    expect(r.verdict).toBe('disagree');
    expect(hangs(r)).toEqual(THREE);
    expect(r.evaluation.mismatches.map(inputKey).sort()).toEqual(THREE);
    expect(r.evaluation.mismatches.every((m) => m.cause === 'code')).toBe(true);
    expect(r.table.differences).toEqual([]);
    expect(r.matches).toEqual(['linux-6.2']);
    expect(r.era).toEqual([{ name: 'linux-6.2', describes: 'Linux 6.2 to 7.1', inputs: 1152 }]);
    expect(r.missingFixes).toEqual([LOOP_FIX]);
    const cli = await runCli(['kernel', `${V}/fixed-era-old-loop.c`]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('this is the lookup of Linux 6.2 to 7.1 (linux-6.2): identical tables and outcomes on 1152 inputs');
    expect(cli.stdout).toContain(`${LOOP_FIX} is missing`);
  });

  it('against the 6.2 spec the fixed file disagrees on the three requests it refuses and the spec expects to hang', async () => {
    const r = await report(`${V}/fixed-era.c`, 'spec/history/linux-6.2.fsm');
    expect(r.verdict).toBe('disagree');
    expect(r.evaluation.mismatches.map(inputKey).sort()).toEqual(THREE);
    expect(r.evaluation.mismatches.every((m) => m.cause === 'code' && m.kernel === 'refused (-EINVAL)')).toBe(true);
  });
});

describe('hangs always fail', () => {
  it('a 6.2-era file against the 6.2 spec, which has the same hang: disagree, the report opening with the failing spec', async () => {
    const r = await runCli(['kernel', `${FIXTURES}/linux-6.2.c`, '--spec', 'linux-6.2']);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe('this spec fails check: termination, 3 violations; its lookup is no reference to agree with (see vfio-fsm check spec/history/linux-6.2.fsm)');
    expect(r.stdout).toContain('3 input(s) never end: a request that never returns is a soft lockup');
  });
});

describe('a patch that checks nothing does not agree', () => {
  it('the loop-only fix mail, without a base: inconclusive, naming the loop lines it changes', async () => {
    const r = await report(`${V}/loop-fix.mbox`, MAINLINE);
    expect(r.verdict).toBe('inconclusive');
    expect(r.changedCode.map((c) => c.at.line)).toEqual([35, 36, 37]);
    expect(r.unchecked.map((u) => u.what)).toContain("the patch changes the lookup's code (3 lines: 35, 36, 37), which cannot be run from the hunks alone");
    expect(r.unchecked.every((u) => u.decide.startsWith('pass --base FILE'))).toBe(true);
    expect((await runCli(['kernel', `${V}/loop-fix.mbox`])).code).toBe(3);
  });

  it('its revert, a plain git diff, without a base: inconclusive too, never agree', async () => {
    const r = await report(`${V}/loop-revert.diff`, MAINLINE);
    expect(r.verdict).toBe('inconclusive');
    expect(r.changedCode.map((c) => c.text)).toContain('while ((device->migration_flags & state_flags_table[*next_fsm]) !=');
  });

  it('with --base: the fix agrees and the revert disagrees on the three requests', async () => {
    const fix = await report(`${V}/loop-fix.mbox`, MAINLINE, { base: `${V}/fixed-era-old-loop.c` });
    expect(fix.verdict).toBe('agree');
    expect(fix.source).toBe(`${V}/fixed-era-old-loop.c patched by ${V}/loop-fix.mbox`);
    expect(fix.function.at?.line).toBe(79);
    const revert = await report(`${V}/loop-revert.diff`, MAINLINE, { base: `${V}/fixed-era.c` });
    expect(revert.verdict).toBe('disagree');
    expect(hangs(revert)).toEqual(THREE);
  });

  it('a patch already in its base is said to be, and the base is checked as it is', async () => {
    const r = await report(`${V}/already-applied.mbox`, MAINLINE, { base: `${V}/fixed-era.c` });
    expect(r.verdict).toBe('agree');
    expect(r.notes.join('\n')).toContain('already applied? the hunks of drivers/vfio/vfio_main.c are in');
    const back = await report(`${V}/loop-revert.diff`, MAINLINE, { base: `${V}/fixed-era-old-loop.c` });
    expect(back.verdict).toBe('disagree');
    expect(back.notes.join('\n')).toContain('already applied?');
  });
});

describe('one verdict per patch', () => {
  it('the two-mail series with --base: mail 1 disagrees (never-ending requests), mail 2 agrees; overall disagree', async () => {
    const r = await report(`${V}/series/series.mbox`, MAINLINE, { base: `${V}/series/base.c` });
    expect(r.patches.map((p) => [p.subject, p.verdict])).toEqual([
      ['[PATCH v2 1/2] vfio: add the PRE_COPY and PRE_COPY_P2P migration states', 'disagree'],
      ['[PATCH v2 2/2] vfio: end the skip loop at ERROR for blocked requests', 'agree'],
    ]);
    expect(hangs(r.patches[0]!)).toEqual(THREE);
    expect(r.patches[0]!.matches).toEqual(['linux-6.2']);
    expect(r.patches[1]!.matches).toEqual(['vfio-migration']);
    expect(r.verdict).toBe('disagree');
    expect((await runCli(['kernel', `${V}/series/series.mbox`, '--base', `${V}/series/base.c`])).code).toBe(1);
  });

  it('without a base, both mails are read, each from its own hunks, and nothing is dropped', async () => {
    const r = await report(`${V}/series/series.mbox`, MAINLINE);
    expect(r.patches.map((p) => [p.mail, p.verdict])).toEqual([
      [2, 'inconclusive'],
      [3, 'inconclusive'],
    ]);
    expect(r.patches[0]!.table.visibleCells).toHaveLength(59);
    expect(r.patches[0]!.table.hiddenCells).toHaveLength(5);
    expect(r.patches[0]!.table.flagsTable?.hidden).toEqual(['RUNNING_P2P', 'ERROR']);
    expect(r.patches[1]!.changedCode.length).toBeGreaterThan(0);
    expect(r.verdict).toBe('inconclusive');
  });

  it('the cover letter alone is a mail without a patch', async () => {
    const r = await runCli(['kernel', `${V}/series/0000-cover-letter.patch`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error VF220: this is a mail without a patch');
  });
});

describe("the mail's own uapi hunks", () => {
  it('are read: the values they show agree, the names they do not show are listed', async () => {
    const r = await report(`${V}/uapi.mbox`, MAINLINE, { base: `${V}/series/base.c` });
    expect(r.verdict).toBe('agree');
    expect(r.uapi).toMatchObject({ partial: true, states: 5, flags: 3, mismatches: [], notShown: ['VFIO_DEVICE_STATE_ERROR', 'VFIO_DEVICE_STATE_STOP', 'VFIO_DEVICE_STATE_RUNNING'] });
  });

  it('a wrong bit disagrees, located in the mail, with a base or without', async () => {
    for (const inputs of [{ base: `${V}/series/base.c` }, {}]) {
      const r = await report(`${V}/uapi-wrong-bit.mbox`, MAINLINE, inputs);
      expect(r.verdict).toBe('disagree');
      expect(r.reasons).toEqual(['1 uapi value differs from the spec']);
      expect(r.uapi!.mismatches).toEqual([{ name: 'VFIO_MIGRATION_PRE_COPY', kernel: '0x8', spec: '0x4', message: 'VFIO_MIGRATION_PRE_COPY is 0x8 in the patch, 0x4 (PRE_COPY) in the spec', at: { file: `${V}/uapi-wrong-bit.mbox`, line: 211, column: 10 } }]);
    }
  });

  it('with --uapi, the header hunks are applied to the header first', async () => {
    const good = await report(`${V}/uapi.mbox`, MAINLINE, { base: `${V}/series/base.c`, uapi: `${V}/uapi-base.h` });
    expect(good.verdict).toBe('agree');
    expect(good.uapi).toMatchObject({ states: 8, flags: 3, mismatches: [] });
    const bad = await report(`${V}/uapi-wrong-bit.mbox`, MAINLINE, { base: `${V}/series/base.c`, uapi: `${V}/uapi-base.h` });
    expect(bad.uapi!.mismatches.map((m) => m.name)).toEqual(['VFIO_MIGRATION_PRE_COPY']);
  });
});

describe('eras apart', () => {
  it('a newer file against an older spec is a report: the states the spec lacks, then what they share', async () => {
    const r = await runCli(['kernel', `${FIXTURES}/linux-6.2.c`, '--spec', 'linux-5.18']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('the kernel has states the spec lacks: PRE_COPY, PRE_COPY_P2P; what they share is compared below');
    const j = await report(`${V}/fixed-era.c`, 'spec/history/linux-5.18.fsm');
    expect(j.verdict).toBe('disagree');
    expect(j.states.kernelOnly).toEqual(['PRE_COPY', 'PRE_COPY_P2P']);
    expect(j.reasons[0]).toBe('the kernel has states the spec lacks: PRE_COPY, PRE_COPY_P2P');
    expect(j.matches).toEqual(['vfio-migration']);
  });

  it('an older file against a newer spec: the states the kernel lacks, every mismatch blamed on the table, in words', async () => {
    const r = await report(`${V}/series/base.c`, MAINLINE);
    expect(r.verdict).toBe('disagree');
    expect(r.states.specOnly).toEqual(['PRE_COPY', 'PRE_COPY_P2P']);
    expect(r.matches).toEqual(['linux-5.18']);
    expect(r.evaluation.mismatches).toHaveLength(30);
    expect(r.evaluation.mismatches.every((m) => m.cause === 'table' && /^the table explains it: the kernel's table has no row or column for PRE_COPY(_P2P)? \(it is 6 x 6\)$/.test(m.explanation))).toBe(true);
  });

  it('the 5.18 file is not the seed patch, though their answers agree: it reads a flags table the seed never had', async () => {
    const r = await report(`${FIXTURES}/linux-5.18.c`, 'spec/history/linux-5.18.fsm');
    expect(r.matches).toEqual(['linux-5.18']);
  });

  it('a cell whose designator is a word starting with a digit is a located error, never an internal one', async () => {
    const r = await runCli(['kernel', `${V}/digit-cell.c`]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`${V}/digit-cell.c:200:5: error VF250: \`08x\` is not a valid integer constant`);
  });
});
