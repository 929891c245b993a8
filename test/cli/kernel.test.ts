import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { FIXTURES, SEED_MAIL_SKIPPED, SEED_SHAPED_MAILS } from '../kernel/support.js';

const kernel = (...args: string[]) => runCli(['kernel', ...args]);

describe('vfio-fsm kernel', () => {
  it('exit 0 when everything agrees, with a text summary', async () => {
    const r = await kernel(`${FIXTURES}/linux-7.2.c`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('vfio_mig_get_next_state() in test/fixtures/kernel/linux-7.2.c (line 53) against spec/vfio-migration.fsm');
    expect(r.stdout).toContain('1152 inputs (current x target x flag set): 1152 agree, 0 differ');
    expect(r.stdout.trimEnd().endsWith('kernel and spec agree')).toBe(true);
  });

  it('exit 1 on a disagreement', async () => {
    const r = await kernel(`${FIXTURES}/mutants/linux-7.2-flipped-cell.c`);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('[STOP_COPY][RESUMING] is RESUMING, the spec says STOP');
  });

  it('exit 2 on unreadable input, with file:line:col and a code', async () => {
    const missing = await kernel('no/such/file.c');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^no\/such\/file\.c:1:1: error VF090/);
    const truncated = await kernel(`${FIXTURES}/patches/truncated.diff`);
    expect(truncated.code).toBe(2);
    expect(truncated.stderr).toMatch(/truncated\.diff:21:1: error VF220: truncated patch/);
    expect(truncated.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('--json follows the documented shape', async () => {
    const r = await kernel(`${FIXTURES}/linux-6.2.c`, '--json', '--uapi', `${FIXTURES}/uapi/vfio-bad.h`);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as Record<string, Record<string, unknown>>;
    expect(Object.keys(j)).toEqual(['verdict', 'ok', 'reasons', 'unchecked', 'spec', 'specName', 'specCheck', 'input', 'mode', 'source', 'function', 'matches', 'era', 'missingFixes', 'states', 'notes', 'changedCode', 'table', 'evaluation', 'comment', 'uapi', 'patches', 'warnings', 'warningsOmitted']);
    expect(j).toMatchObject({ verdict: 'disagree', ok: false, spec: 'spec/vfio-migration.fsm', specName: 'vfio-migration', matches: ['linux-6.2'], missingFixes: ['the 7.2 loop fix (commit a26b499b757c)'] });
    expect(j.table).toMatchObject({ name: 'vfio_from_fsm_table', found: true, differences: [], implicit: [], duplicates: [] });
    expect(j.evaluation).toMatchObject({ performed: true, inputs: 1152, agreed: 1149 });
    expect(j.evaluation!.nonTerminating).toContainEqual({ current: 'STOP_COPY', target: 'PRE_COPY', flags: ['STOP_COPY', 'PRE_COPY'], cycle: ['ERROR'], expected: false });
    expect(j.evaluation!.mismatches).toContainEqual({
      current: 'STOP_COPY',
      target: 'PRE_COPY_P2P',
      flags: ['STOP_COPY', 'P2P', 'PRE_COPY'],
      kernel: 'never ends (goes round ERROR)',
      spec: 'refused',
      cause: 'code',
      explanation: "the code explains it: over the kernel's own table the spec's lookup (linux-7.2) answers refused, the code never ends (goes round ERROR)",
    });
    expect(j.comment).toMatchObject({ found: true, warnings: [] });
    expect((j.uapi!.mismatches as { name: string }[]).map((m) => m.name)).toEqual(['VFIO_DEVICE_STATE_PRE_COPY', 'VFIO_MIGRATION_PRE_COPY', 'VFIO_MIGRATION_P2P']);
  });

  for (const mail of SEED_SHAPED_MAILS) {
    it(`--json in patch mode lists the visible and the hidden cells: ${mail.name}`, async (ctx) => {
      if (mail.path === undefined) return ctx.skip(SEED_MAIL_SKIPPED);
      const r = await kernel(mail.path, '--spec', 'spec/history/seed-v6.fsm', '--json');
      // Three cells not shown: not proven, so inconclusive (exit 3).
      expect(r.code).toBe(3);
      const j = JSON.parse(r.stdout) as { verdict: string; mode: string; table: { visibleCells: unknown[]; hiddenCells: unknown[] } };
      expect(j.verdict).toBe('inconclusive');
      expect(j.mode).toBe('patch-hunks');
      expect(j.table.visibleCells).toHaveLength(33);
      expect(j.table.hiddenCells).toHaveLength(3);
    });
  }

  it('--json on unreadable input', async () => {
    const r = await kernel(`${FIXTURES}/patches/truncated.diff`, '--json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, diagnostics: [{ code: 'VF220', line: 21, column: 1 }] });
  });

  it('--base applies the patch first', async () => {
    const r = await kernel(`${FIXTURES}/patches/series.mbox`, '--base', `${FIXTURES}/linux-5.18.c`);
    // Mail 1 brings the never-ending loop and mail 2 mends it: a series is judged mail by mail.
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('mail 1: [PATCH 1/2] vfio: add the pre-copy states (fixture) -- disagree');
    expect(r.stdout).toContain('mail 2: [PATCH 2/2]');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^verdict: disagree \(the worst of the mails\): the lookup never ends on 3 requests/);
  });
});

describe('--uapi', () => {
  it('a header that agrees, with the state count newer headers carry', async () => {
    for (const header of ['vfio-6.2.h', 'vfio-7.2.h']) {
      const r = await kernel(`${FIXTURES}/linux-7.2.c`, '--uapi', `${FIXTURES}/uapi/${header}`, '--json');
      const j = JSON.parse(r.stdout) as { ok: boolean; uapi: { states: number; flags: number; mismatches: unknown[] } };
      expect(j.uapi.mismatches).toEqual([]);
      expect(j.uapi.flags).toBe(3);
      expect(r.code).toBe(0);
    }
  });

  it('a wrong value, a wrong bit and a missing flag, each located', async () => {
    const r = await kernel(`${FIXTURES}/linux-7.2.c`, '--uapi', `${FIXTURES}/uapi/vfio-bad.h`);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('vfio-bad.h:38:2: VFIO_DEVICE_STATE_PRE_COPY is 8 in the header, 6 in the spec');
    expect(r.stdout).toContain('vfio-bad.h:18:9: VFIO_MIGRATION_PRE_COPY is 0x8 in the header, 0x4 (PRE_COPY) in the spec');
    expect(r.stdout).toContain("the spec's flag P2P is not #defined in the header");
  });

  it('an older spec finds states it does not know', async () => {
    const r = await kernel(`${FIXTURES}/seed-v6.c`, '--spec', 'spec/history/seed-v6.fsm', '--uapi', `${FIXTURES}/uapi/vfio-6.2.h`, '--json');
    const j = JSON.parse(r.stdout) as { uapi: { mismatches: { name: string }[] } };
    expect(j.uapi.mismatches.map((m) => m.name)).toEqual(['VFIO_DEVICE_STATE_PRE_COPY', 'VFIO_DEVICE_STATE_PRE_COPY_P2P', 'VFIO_MIGRATION_PRE_COPY']);
    expect(r.code).toBe(1);
  });

  it('a header without the enum is unreadable', async () => {
    const r = await kernel(`${FIXTURES}/linux-7.2.c`, '--uapi', `${FIXTURES}/v2.c`);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error VF230');
  });
});
