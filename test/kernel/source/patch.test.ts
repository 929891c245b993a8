import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyFilePatches } from '../../../src/kernel/source/apply-patch.js';
import { parsePatches } from '../../../src/kernel/source/patch.js';
import { FIXTURES, SEED_MAIL_SKIPPED, SEED_SHAPE_MAIL, SEED_SHAPED_MAILS, refused, report } from '../support.js';

const P = `${FIXTURES}/patches`;

for (const mail of SEED_SHAPED_MAILS) {
  describe(`${mail.name}, read without a base`, () => {
    it('shows all of its new table but three cells, and those it shows agree with the seed spec', async (ctx) => {
      if (mail.path === undefined) return ctx.skip(SEED_MAIL_SKIPPED);
      const r = await report(mail.path, 'spec/history/seed-v6.fsm');
      expect(r.mode).toBe('patch-hunks');
      expect(r.table.dimensions.agree).toBe(true);
      expect(r.table.visibleCells).toHaveLength(33);
      // The unchanged first entries of three rows sit between the hunks.
      expect(r.table.hiddenCells).toEqual([
        { row: 'STOP_COPY', column: 'STOP' },
        { row: 'RESUMING', column: 'STOP' },
        { row: 'ERROR', column: 'STOP' },
      ]);
      expect(r.table.differences).toEqual([]);
      expect(r.table.implicit).toEqual([]);
      expect(r.table.unplaced).toEqual([]);
      // The hunks do show the whole lookup, so it is evaluated; runs that read a hidden cell stay undetermined.
      expect(r.evaluation.performed).toBe(true);
      expect(r.evaluation.undetermined).toBeGreaterThan(0);
      expect(r.evaluation.agreed + r.evaluation.undetermined).toBe(r.evaluation.inputs);
      expect(r.evaluation.mismatches).toEqual([]);
      expect(r.comment.warnings).toEqual([]);
      expect(r.comment.paths).toBe(12);
      // Three cells unseen and runs that read them: not proven, so not agree.
      expect(r.verdict).toBe('inconclusive');
      expect(r.reasons).toEqual([]);
      expect(r.unchecked.map((u) => u.what)).toEqual(['3 table cells are not shown by the hunks', `${r.evaluation.undetermined} inputs of the evaluation read cells the hunks do not show`]);
      expect(r.unchecked.every((u) => u.decide === 'pass --base FILE, the file the patch applies to')).toBe(true);
      expect(r.ok).toBe(false);
    });

    it('locates what it reports in the mail', async (ctx) => {
      if (mail.path === undefined) return ctx.skip(SEED_MAIL_SKIPPED);
      const r = await report(mail.path, 'spec/history/seed-v6.fsm');
      const lines = readFileSync(mail.path, 'utf8').split('\n');
      expect(r.function.at?.file).toBe(mail.path);
      expect(lines[r.function.at!.line - 1]).toMatch(/^@@ .* u32 vfio_mig_get_next_state\(/);
      expect(lines[r.comment.at!.line - 1]).toContain('/*');
    });

    it('disagrees with the mainline spec on what it shows', async (ctx) => {
      if (mail.path === undefined) return ctx.skip(SEED_MAIL_SKIPPED);
      const r = await report(mail.path, 'spec/vfio-migration.fsm');
      expect(r.table.dimensions.agree).toBe(false);
      expect(r.ok).toBe(false);
    });
  });
}

describe('our seed-shaped mail: the exact figures of its README', () => {
  const BASE = `${FIXTURES}/mails/p2p-seed-base.c`;

  it('read without a base: 200 inputs, 194 agree, 6 undetermined; the hunk header and the comment where the README says', async () => {
    const r = await report(SEED_SHAPE_MAIL, 'spec/history/seed-v6.fsm');
    expect(r.notes).toContain('read without a base: the post-image of 4 hunk(s) of drivers/vfio/vfio.c from "[PATCH v3] vfio: add RUNNING_P2P to the migration protocol"');
    expect(r.evaluation).toMatchObject({ inputs: 200, agreed: 194, undetermined: 6 });
    expect(r.function.at).toMatchObject({ file: SEED_SHAPE_MAIL, line: 38, column: 25 });
    expect(r.comment.at).toMatchObject({ line: 44, column: 3 });
    expect(r.comment).toMatchObject({ arcs: 10, paths: 12, partial: false });
  });

  it('applied to its base: every cell agrees, and every input', async () => {
    const r = await report(SEED_SHAPE_MAIL, 'spec/history/seed-v6.fsm', { base: BASE });
    expect(r.mode).toBe('patch-applied');
    expect(r.table.differences).toEqual([]);
    expect(r.evaluation).toMatchObject({ inputs: 200, agreed: 200 });
    expect(r.function.at?.line).toBe(77);
    expect(r.ok).toBe(true);
  });

  it('jsdiff applies it to its base and gives the after file byte for byte', () => {
    const parsed = parsePatches(readFileSync(SEED_SHAPE_MAIL, 'utf8'));
    if (!parsed.ok) throw new Error(parsed.message);
    const vfio = parsed.files.filter((f) => f.newName.endsWith('drivers/vfio/vfio.c'));
    const applied = applyFilePatches(readFileSync(BASE, 'utf8'), vfio, 'p2p-seed-base.c');
    expect(applied.ok && applied.text).toBe(readFileSync(`${FIXTURES}/mails/p2p-seed-after.c`, 'utf8'));
  });

  it('against the mainline spec: 33 cells shown, 3 not, and the dimensions disagree', async () => {
    const r = await report(SEED_SHAPE_MAIL, 'spec/vfio-migration.fsm');
    expect(r.table.visibleCells).toHaveLength(33);
    expect(r.table.hiddenCells).toHaveLength(3);
    expect(r.evaluation).toMatchObject({ inputs: 1152, agreed: 1024, undetermined: 24 });
    expect(r.evaluation.mismatches).toHaveLength(104);
  });
});

describe('patches made between the fixtures', () => {
  it('jsdiff applies the pre-copy patch to the 5.18 fixture and gives the 6.2 fixture', () => {
    const parsed = parsePatches(readFileSync(`${P}/pre-copy.diff`, 'utf8'));
    if (!parsed.ok) throw new Error(parsed.message);
    const applied = applyFilePatches(readFileSync(`${FIXTURES}/linux-5.18.c`, 'utf8'), parsed.files, 'linux-5.18.c');
    expect(applied.ok && applied.text).toBe(readFileSync(`${FIXTURES}/linux-6.2.c`, 'utf8'));
  });

  it('a two-mail series applied to its base is judged mail by mail: the first brings the never-ending loop, the second mends it', async () => {
    const r = await report(`${P}/series.mbox`, 'spec/vfio-migration.fsm', { base: `${FIXTURES}/linux-5.18.c` });
    expect(r.mode).toBe('patch-applied');
    expect(r.notes[0]).toBe('2 mail(s), 2 of them changing vfio_mig_get_next_state() or the uapi header');
    expect(r.patches.map((p) => [p.mail, p.verdict, p.evaluation.nonTerminating.length])).toEqual([
      [1, 'disagree', 3],
      [2, 'agree', 0],
    ]);
    // The end state agrees, but a series must be bisectable: the worst mail decides.
    expect(r.evaluation.nonTerminating).toEqual([]);
    expect(r.verdict).toBe('disagree');
    expect(r.ok).toBe(false);
  });

  it('the first mail alone brings in the loop that never ends', async () => {
    const r = await report(`${P}/pre-copy.patch`, 'spec/vfio-migration.fsm', { base: `${FIXTURES}/linux-5.18.c` });
    expect(r.evaluation.nonTerminating).toHaveLength(3);
    expect(r.ok).toBe(false);
  });

  it('read without a base, the pre-copy mail shows the table but the ERROR column and the end of the flags table', async () => {
    const r = await report(`${P}/pre-copy.patch`, 'spec/history/linux-6.2.fsm');
    expect(r.table.hiddenCells!.every((c) => c.column === 'ERROR')).toBe(true);
    expect(r.table.hiddenCells!.length + r.table.visibleCells!.length).toBe(64);
    expect(r.table.flagsTable?.hidden).toEqual(['ERROR']);
    expect(r.table.differences).toEqual([]);
    // Hidden lines break the function apart, so it cannot be evaluated; the comment is checked as far as shown.
    expect(r.evaluation.performed).toBe(false);
    expect(r.comment.partial).toBe(true);
    expect(r.comment.warnings).toEqual([]);
    expect(r.verdict).toBe('inconclusive');
    expect(r.unchecked.map((u) => u.what)).toContain('5 table cells are not shown by the hunks');
  });

  it('a flipped cell is reported from the hunk when the hunk shows its row', async () => {
    const r = await report(`${P}/flip-cell-u8.diff`, 'spec/vfio-migration.fsm');
    expect(r.table.differences.map((d) => [d.row, d.column, d.kernel, d.spec])).toEqual([['STOP_COPY', 'RESUMING', 'RESUMING', 'STOP']]);
    expect(r.table.differences[0]!.at?.file).toBe(`${P}/flip-cell-u8.diff`);
    expect(r.ok).toBe(false);
  });

  it('with three lines of context the row is not shown: the entries are reported as not placeable', async () => {
    const r = await report(`${P}/flip-cell.diff`, 'spec/vfio-migration.fsm');
    expect(r.table.visibleCells).toEqual([]);
    expect(r.table.unplaced!.length).toBeGreaterThan(0);
    expect(r.table.differences).toEqual([]);
  });

  it('a patch that touches only the loop shows no table and cannot be run: inconclusive, naming the changed lines', async () => {
    const r = await report(`${P}/loop-fix.diff`, 'spec/vfio-migration.fsm');
    expect(r.table.found).toBe(false);
    expect(r.evaluation.performed).toBe(false);
    expect(r.verdict).toBe('inconclusive');
    expect(r.changedCode.length).toBeGreaterThan(0);
    expect(r.unchecked.map((u) => u.what).join('\n')).toMatch(/the patch changes the lookup's code \(\d+ lines?: [\d, ]+\)/);
  });
});

describe('patches that cannot be read', () => {
  it('a truncated hunk is a located error', async () => {
    const [d] = await refused(`${P}/truncated.diff`, 'spec/history/linux-6.2.fsm');
    expect(d).toMatchObject({ code: 'VF220', file: `${P}/truncated.diff`, line: 21, column: 1 });
    expect(d!.message).toMatch(/truncated patch/);
  });

  it('a patch that does not fit its base names the hunk', async () => {
    const [d] = await refused(`${P}/loop-fix.diff`, 'spec/vfio-migration.fsm', { base: `${FIXTURES}/v2.c` });
    expect(d).toMatchObject({ code: 'VF222', line: 5 });
  });

  it('a patch that does not touch the function', async () => {
    const text = readFileSync(`${P}/loop-fix.diff`, 'utf8').split('\n').slice(0, 11).join('\n');
    const [d] = await refused('only-the-header.diff', 'spec/vfio-migration.fsm', { text });
    expect(d!.code).toBe('VF221');
  });

  it('--base with an input that is not a patch', async () => {
    const [d] = await refused(`${FIXTURES}/linux-7.2.c`, 'spec/vfio-migration.fsm', { base: `${FIXTURES}/linux-6.2.c` });
    expect(d!.code).toBe('VF220');
  });
});
