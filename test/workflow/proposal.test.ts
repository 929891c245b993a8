import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { DRAFT, MAINLINE, PROPOSAL } from './specs.js';

/**
 * The worked proposal of the README, "Proposing a new state": an invented
 * optional POST_COPY state taken through the author's loop with the real
 * commands.
 */
describe('proposing POST_COPY (an invented state)', () => {
  test('the draft is rejected, and the counterexample names existing devices', async () => {
    const r = await runCli(['check', DRAFT]);
    expect(r.code).toBe(1);
    // A device with P2P but without the new flag is sent straight from RESUMING to RUNNING.
    expect(r.stdout).toContain(
      '✗ table under {STOP_COPY, P2P}: RESUMING -> RUNNING\n    path: RESUMING -> STOP -> RUNNING_P2P -> RUNNING\n    walk: RESUMING -> RUNNING\n    the lookup hands the driver RESUMING -> RUNNING, which is not an arc under these flags',
    );
    // With the new flag and without P2P, two paths of two arcs tie.
    expect(r.stdout).toContain('✗ ambiguity under {STOP_COPY, POST_COPY}: RESUMING -> RUNNING\n    path: RESUMING -> STOP -> RUNNING\n    path: RESUMING -> POST_COPY -> RUNNING');
    expect(r.stdout).toContain('FAIL: 9 violations of table, ambiguity');
  });

  test('diff against the mainline spec would have caught the draft too: a behaviour change, exit 1', async () => {
    const r = await runCli(['diff', MAINLINE, DRAFT]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('T[RESUMING][RUNNING]: STOP -> POST_COPY');
    expect(r.stdout).toContain('{STOP_COPY, P2P}            BEHAVIOUR CHANGE in 1 request\n      CHANGED RESUMING -> RUNNING\n          was: RESUMING -> STOP -> RUNNING_P2P -> RUNNING');
    expect(r.stdout).toContain('BEHAVIOUR CHANGE: 6 changes that existing devices would see');
    // Allowing the behaviour change does not pass a draft that fails its own check.
    const allowed = await runCli(['diff', MAINLINE, DRAFT, '--allow-behaviour-change']);
    expect(allowed.code).toBe(1);
    expect(allowed.stdout.trimEnd().split('\n').at(-1)).toMatch(/^FAIL: the new spec fails check \(table, 6 violations; ambiguity, 3 violations\)/);
  });

  test('explain shows why the fix keeps RESUMING -> RUNNING on its old path', async () => {
    const r = await runCli(['explain', 'RESUMING', 'RUNNING', PROPOSAL, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { path: string[]; alternatives: { path: string[]; reason: string }[] };
    expect(j.path).toEqual(['RESUMING', 'STOP', 'RUNNING_P2P', 'RUNNING']);
    expect(j.alternatives.find((a) => a.path.join(' ') === 'RESUMING POST_COPY RUNNING')!.reason).toBe(
      'breaks rule `interior loading only-within` at POST_COPY (only a path with both ends in group loading may pass through it)',
    );
  });

  test('the fix passes the check', async () => {
    const r = await runCli(['check', PROPOSAL]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ok: every property holds for 16 flag sets');
  });

  test('diff against the mainline spec proves no existing flag set changes, and lists what a driver adds', async () => {
    const r = await runCli(['diff', MAINLINE, PROPOSAL]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('table:   no cell changed among the 8 shared states');
    expect(r.stdout).toContain('no behaviour change for existing flag sets');
    expect(r.stdout).not.toContain('CHANGED');
    expect(r.stdout).toContain('{STOP_COPY, POST_COPY}                 {STOP_COPY} plus POST_COPY: 1 new state (POST_COPY)\n      a driver newly implements: POST_COPY -> RUNNING, RESUMING -> POST_COPY');
    const j = JSON.parse((await runCli(['diff', MAINLINE, PROPOSAL, '--json'])).stdout) as {
      behaviourChange: boolean;
      oldFlagSets: { changes: unknown[]; arcs: { added: unknown[] } }[];
      newFlagSets: { flags: string[]; refusals: { current: string; target: string }[] }[];
    };
    expect(j.behaviourChange).toBe(false);
    expect(j.oldFlagSets.every((f) => f.changes.length === 0 && f.arcs.added.length === 0)).toBe(true);
    // Only the new blocks are new refusals; STOP_COPY -> PRE_COPY was refused before.
    const pre = j.newFlagSets.find((f) => f.flags.join(',') === 'STOP_COPY,PRE_COPY,POST_COPY')!;
    expect(pre.refusals.map((r) => `${r.current}->${r.target}`)).toEqual(['STOP->POST_COPY', 'RUNNING->POST_COPY', 'STOP_COPY->POST_COPY', 'PRE_COPY->POST_COPY']);
  });

  test('arcs puts the two new arcs under their own flag', async () => {
    const r = await runCli(['arcs', PROPOSAL]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('with POST_COPY:\n    POST_COPY -> RUNNING\n    RESUMING -> POST_COPY\n');
  });

  const out = mkdtempSync(join(tmpdir(), 'vfio-fsm-proposal-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test('gen writes the kernel C with the new row, column and needed flags', async () => {
    const r = await runCli(['gen', PROPOSAL, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const c = readFileSync(join(out, 'examples', 'post-copy.c'), 'utf8');
    expect(c).toContain('[VFIO_DEVICE_STATE_POST_COPY] = {');
    expect(c).toContain('[VFIO_DEVICE_STATE_POST_COPY] = VFIO_DEVICE_STATE_POST_COPY,');
    expect(c).toMatch(/\[VFIO_DEVICE_STATE_POST_COPY\] =\s+VFIO_MIGRATION_STOP_COPY \| VFIO_MIGRATION_POST_COPY,/);
    // No code is ever generated from the draft, which fails the check: only its Promela model, for the SPIN oracle.
    const draft = await runCli(['gen', DRAFT, '--out', out]);
    expect(draft.code).toBe(0);
    expect(draft.stdout).toBe(`wrote ${join(out, 'examples', 'post-copy-draft.pml')}\n1 written, 0 unchanged\n`);
    expect(existsSync(join(out, 'examples', 'post-copy-draft.c'))).toBe(false);
  });
});
