// The driver reader beyond the fixtures' acceptance data: faulty set-state
// loops, condition shapes no fixture has (negations, a switch label that is
// no state, a test of the states under a test of something else, too many
// combinations), flag paths (goto, &=, a path that assigns nothing), and
// several step functions at once. Inputs are fixtures with one edit each.
import { describe, expect, it } from 'vitest';
import type { DriverReport, StepFunctionReport } from '../../src/kernel/driver/result.js';
import { driver, edited, fixture } from './support.js';

const ALL = fixture('conform-all.c');
const STOP_COPY = fixture('conform-stop-copy.c');
const FLAGS_ALL = { flags: 0b111 };

function report(files: Readonly<Record<string, string>>, options: Parameters<typeof driver>[1] = {}): DriverReport {
  const r = driver(files, options);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`).join('\n'));
  return r.report;
}

function only(files: Readonly<Record<string, string>>, options: Parameters<typeof driver>[1] = {}): StepFunctionReport {
  const r = report(files, options);
  expect(r.functions).toHaveLength(1);
  return r.functions[0]!;
}

const arcs = (f: StepFunctionReport): string[] => f.handled.map((a) => `${a.from} -> ${a.to} @${a.line}`);

describe('the set-state loop', () => {
  const loop = (text: string): { verdict: string; problems: readonly string[] } => {
    const f = only({ 'all.c': text });
    return { verdict: f.verdict, problems: f.loop?.problems ?? ['(no loop)'] };
  };

  it('a correct loop has no problem', () => {
    expect(loop(ALL)).toEqual({ verdict: 'conform', problems: [] });
  });

  it('a failed lookup that does not stop the loop', () => {
    const text = edited(ALL, '\t\tif (ret) {\n\t\t\tres = ERR_PTR(ret);\n\t\t\tbreak;\n\t\t}\n', '');
    expect(loop(text)).toEqual({ verdict: 'faulty-loop', problems: ['a failed vfio_mig_get_next_state() does not stop the loop'] });
  });

  it('a failed step that does not stop the loop', () => {
    const text = edited(ALL, '\t\tif (IS_ERR(res))\n\t\t\tbreak;\n', '');
    expect(loop(text).problems).toEqual(['a failed otter_vf_pci_step_device_state() does not stop the loop']);
  });

  it('a loop that never stores the new state', () => {
    const text = edited(ALL, '\t\tovdev->mig_state = next_state;\n', '');
    expect(loop(text).problems).toEqual(['it never stores the new state (next_state) in ovdev->mig_state']);
  });

  it('a loop that stops on something else than the target', () => {
    const text = edited(ALL, 'while (new_state != ovdev->mig_state) {', 'while (ovdev->mig_state != VFIO_DEVICE_STATE_ERROR) {');
    expect(loop(text).problems).toEqual(['its loop does not run until ovdev->mig_state reaches new_state']);
  });

  it('one call instead of a loop', () => {
    const text = edited(ALL, 'while (new_state != ovdev->mig_state) {', 'if (new_state != ovdev->mig_state) {');
    expect(loop(text).problems).toEqual(['it calls vfio_mig_get_next_state() once, not until the device reaches the target state']);
  });

  it('for (;;) with a test of the target and a break reads as running until the target', () => {
    const text = edited(ALL, 'while (new_state != ovdev->mig_state) {', 'for (;;) {\n\t\tif (ovdev->mig_state == new_state)\n\t\t\tbreak;');
    expect(loop(text)).toEqual({ verdict: 'conform', problems: [] });
  });

  it('the loop is reported faulty only after missing arcs: a missing arc decides the verdict', () => {
    const text = edited(edited(ALL, '\t\tovdev->mig_state = next_state;\n', ''), 'if (cur == VFIO_DEVICE_STATE_STOP && new == VFIO_DEVICE_STATE_STOP_COPY)', 'if (cur == VFIO_DEVICE_STATE_STOP && new == VFIO_DEVICE_STATE_RESUMING)');
    expect(report({ 'all.c': text }).verdict).toBe('missing');
  });
});

describe('conditions', () => {
  const STEP = 'if (cur == VFIO_DEVICE_STATE_RUNNING && new == VFIO_DEVICE_STATE_STOP) {';

  it('negations and != are read as the sets of states they leave', () => {
    const text = edited(STOP_COPY, STEP, 'if (!(cur != VFIO_DEVICE_STATE_RUNNING) && !(new != VFIO_DEVICE_STATE_STOP)) {');
    const f = only({ 'x.c': text });
    expect(f.verdict).toBe('conform');
    expect(arcs(f)[0]).toBe('RUNNING -> STOP @70');
  });

  it('the current state copied through READ_ONCE() is still the device\'s', () => {
    const text = edited(STOP_COPY, 'u32 cur = lvdev->mig_state;', 'u32 cur = READ_ONCE(lvdev->mig_state);');
    expect(only({ 'x.c': text })).toMatchObject({ current: 'cur', requested: 'new', verdict: 'conform' });
  });

  it('a comparison the other way round (constant first) is the same comparison', () => {
    const text = edited(STOP_COPY, STEP, 'if (VFIO_DEVICE_STATE_RUNNING == cur && VFIO_DEVICE_STATE_STOP == new) {');
    expect(only({ 'x.c': text }).verdict).toBe('conform');
  });

  it('contradicting comparisons select nothing', () => {
    const text = edited(STOP_COPY, STEP, 'if (cur == VFIO_DEVICE_STATE_RUNNING && cur == VFIO_DEVICE_STATE_STOP && new == VFIO_DEVICE_STATE_STOP) {');
    const f = only({ 'x.c': text });
    expect(f.flagSets[0]!.missing).toEqual(['RUNNING -> STOP']);
  });

  it('a state comparison mixed with anything else is undecided, with the other part named', () => {
    const text = edited(STOP_COPY, STEP, 'if (cur == VFIO_DEVICE_STATE_RUNNING && new == VFIO_DEVICE_STATE_STOP && lvdev->mig_regs) {');
    const f = only({ 'x.c': text });
    expect(f.undecided).toEqual([{ line: 70, column: 2, text: 'cur == VFIO_DEVICE_STATE_RUNNING && new == VFIO_DEVICE_STATE_STOP && lvdev->mig_regs', reason: 'it also depends on `lvdev->mig_regs`, which is not a state' }]);
    expect(f.verdict).toBe('undecided');
  });

  it('a state name the spec does not declare is undecided, not guessed', () => {
    const text = edited(STOP_COPY, STEP, 'if (cur == VFIO_DEVICE_STATE_RUNNING && new == VFIO_DEVICE_STATE_HALTED) {');
    expect(only({ 'x.c': text }).undecided[0]!.reason).toBe('`VFIO_DEVICE_STATE_HALTED` names no state of spec/vfio-migration.fsm');
  });

  it('comparing the two states with each other is undecided', () => {
    const text = edited(STOP_COPY, STEP, 'if (cur == VFIO_DEVICE_STATE_RUNNING && new == cur) {');
    expect(only({ 'x.c': text }).undecided[0]!.reason).toBe('it compares `cur` with `new`, not with a state constant');
  });

  it('tests of the states under a test of something else are undecided at the outer test', () => {
    const text = edited(STOP_COPY, STEP, 'if (lvdev->mig_regs)\n\tif (cur == VFIO_DEVICE_STATE_RUNNING && new == VFIO_DEVICE_STATE_STOP) {');
    const f = only({ 'x.c': text });
    expect(f.undecided.map((u) => [u.line, u.reason])).toEqual([[70, 'tests of the states sit under this condition, which does not test them']]);
  });

  it('a condition of more combinations than the bound is undecided', () => {
    // Comparisons that never contradict each other, so that every combination stays.
    const any = '(new != VFIO_DEVICE_STATE_ERROR || new != VFIO_DEVICE_STATE_PRE_COPY)';
    const text = edited(STOP_COPY, STEP, `if (cur == VFIO_DEVICE_STATE_RUNNING && ${Array(13).fill(any).join(' && ')}) {`);
    expect(only({ 'x.c': text }).undecided[0]!.reason).toBe('it has more than 4096 combinations of states');
  });

  it('an if on something else at the top is no part of the chain', () => {
    const text = edited(STOP_COPY, STEP, 'if (!lvdev->mig_regs)\n\t\treturn ERR_PTR(-ENODEV);\n\n\tif (cur == VFIO_DEVICE_STATE_RUNNING && new == VFIO_DEVICE_STATE_STOP) {');
    const f = only({ 'x.c': text });
    expect(f.verdict).toBe('conform');
    expect(f.undecided).toEqual([]);
  });
});

describe('switch', () => {
  const sw = (body: string): string =>
    edited(
      STOP_COPY,
      '\tif (cur == VFIO_DEVICE_STATE_RUNNING && new == VFIO_DEVICE_STATE_STOP) {',
      `\tswitch (cur) {\n${body}\n\t}\n\n\tif (cur == VFIO_DEVICE_STATE_RUNNING && new == VFIO_DEVICE_STATE_STOP) {`,
    );

  it('a label that is no state constant is undecided at the label', () => {
    const f = only({ 'x.c': sw('\tcase 3:\n\t\tif (new == VFIO_DEVICE_STATE_STOP)\n\t\t\treturn NULL;\n\t\tbreak;\n\tdefault:\n\t\tbreak;') });
    expect(f.undecided.map((u) => [u.line, u.reason])).toEqual([[71, 'the case label `3` is not a state constant']]);
  });

  it('a section without a break falls through into the next one, and default fixes nothing', () => {
    const f = only({
      'x.c': sw('\tcase VFIO_DEVICE_STATE_STOP_COPY:\n\t\tlynx_note(lvdev);\n\tcase VFIO_DEVICE_STATE_RESUMING:\n\t\tif (new == VFIO_DEVICE_STATE_STOP)\n\t\t\treturn NULL;\n\t\tbreak;\n\tdefault:\n\t\tif (new == VFIO_DEVICE_STATE_ERROR)\n\t\t\tbreak;\n\t\tbreak;'),
    });
    // STOP_COPY falls through to the test of RESUMING's section: both arcs are handled there.
    expect(arcs(f).slice(0, 2)).toEqual(['STOP_COPY -> STOP @74', 'RESUMING -> STOP @74']);
    // Under default the current state is open: its test fixes one side only, and selects nothing.
    expect(f.handled.filter((a) => a.to === 'ERROR')).toEqual([]);
  });

  it('a switch that ends the function has its fallback in its default section', () => {
    const text = edited(
      fixture('shape-switch-cur.c'),
      '\tdefault:\n\t\tbreak;\n\t}\n\n\t/* vfio_mig_get_next_state() does not use arcs other than the above */\n\tWARN_ON(true);\n\treturn ERR_PTR(-EINVAL);\n}',
      '\tdefault:\n\t\tWARN(true, "no arc %d -> %d\\n", cur, new);\n\t\treturn ERR_PTR(-EINVAL);\n\t}\n\treturn ERR_PTR(-EINVAL);\n}',
    );
    const plain = edited(text, '\t}\n\treturn ERR_PTR(-EINVAL);\n}', '\t}\n}');
    expect(only({ 'x.c': plain }).fallback).toMatchObject({ kind: 'warn+einval', warning: 'WARN' });
    // With statements after the switch, those are the fallback.
    expect(only({ 'x.c': text }).fallback).toMatchObject({ kind: 'error', warning: null });
  });

  it('a switch on something else with state tests inside is undecided', () => {
    const text = edited(STOP_COPY, '\tif (cur == VFIO_DEVICE_STATE_RUNNING && new == VFIO_DEVICE_STATE_STOP) {', '\tswitch (lvdev->mode) {\n\tcase 1:\n\t\tif (cur == VFIO_DEVICE_STATE_STOP && new == VFIO_DEVICE_STATE_RUNNING)\n\t\t\treturn NULL;\n\t}\n\n\tif (cur == VFIO_DEVICE_STATE_RUNNING && new == VFIO_DEVICE_STATE_STOP) {');
    expect(only({ 'x.c': text }).undecided.map((u) => u.reason)).toEqual(['tests of the states sit under a switch on something else']);
  });
});

describe('flag paths', () => {
  const INIT = '\tcore_vdev->migration_flags = VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P |\n\t\t\t\t     VFIO_MIGRATION_PRE_COPY;\n';
  const sets = (text: string): string[][] => only({ 'all.c': text }).flagSets.map((s) => [...s.flags]);

  it('&= under a condition takes a flag away on one path', () => {
    const text = edited(ALL, INIT, `${INIT}\tif (!otter_fw_can_quiesce(core_vdev))\n\t\tcore_vdev->migration_flags &= ~VFIO_MIGRATION_P2P;\n`);
    expect(sets(text)).toEqual([
      ['STOP_COPY', 'PRE_COPY'],
      ['STOP_COPY', 'P2P', 'PRE_COPY'],
    ]);
  });

  it('a goto past the assignment gives no set; a goto to a label after it keeps the set', () => {
    const text = edited(ALL, INIT, `\tif (!core_vdev->dev)\n\t\tgoto out;\n${INIT}\tif (otter_fw_old(core_vdev))\n\t\tgoto out;\n\tcore_vdev->migration_flags |= VFIO_MIGRATION_PRE_COPY;\nout:\n`);
    expect(sets(text)).toEqual([['STOP_COPY', 'P2P', 'PRE_COPY']]);
  });

  it('a flag set without the mandatory flag is judged with nothing required, and noted', () => {
    const text = edited(ALL, INIT, `\tif (otter_fw_broken(core_vdev))\n\t\tcore_vdev->migration_flags = VFIO_MIGRATION_P2P;\n\telse\n${INIT.replace('\t', '\t\t')}`);
    const r = report({ 'all.c': text });
    const f = r.functions[0]!;
    expect(f.flagSets.map((s) => [s.flags.join(','), s.required.length, s.extra.length])).toEqual([
      ['P2P', 0, 15],
      ['STOP_COPY,P2P,PRE_COPY', 15, 0],
    ]);
    expect(r.notes).toEqual(['{P2P} lacks STOP_COPY: a device advertising it has no migration, and the core asks for no arc']);
  });

  it('each case of a switch is a path of its own; break leaves the switch', () => {
    const choose = [
      '\tswitch (otter_fw_level(core_vdev)) {',
      '\tcase 2:',
      '\t\tcore_vdev->migration_flags = VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P | VFIO_MIGRATION_PRE_COPY;',
      '\t\tbreak;',
      '\tcase 1:',
      '\t\tcore_vdev->migration_flags = VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P;',
      '\t\tbreak;',
      '\tdefault:',
      '\t\tcore_vdev->migration_flags = VFIO_MIGRATION_STOP_COPY;',
      '\t}',
      '',
    ].join('\n');
    expect(sets(edited(ALL, INIT, choose))).toEqual([['STOP_COPY'], ['STOP_COPY', 'P2P'], ['STOP_COPY', 'P2P', 'PRE_COPY']]);
    // Without the breaks, the cases fall through into the last assignment.
    expect(sets(edited(ALL, INIT, choose.replace(/\t\tbreak;\n/g, '')))).toEqual([['STOP_COPY']]);
  });

  it('a loop may run its assignments or not; a break leaves it with what it set', () => {
    const loop = `\tfor (i = 0; i < 3; i++) {\n\t\tif (otter_fw_try(core_vdev, i)) {\n${INIT.replace(/^\t/gm, '\t\t\t')}\t\t\tbreak;\n\t\t}\n\t}\n\tcore_vdev->migration_flags |= VFIO_MIGRATION_STOP_COPY;\n`;
    expect(sets(edited(ALL, INIT, loop))).toEqual([['STOP_COPY'], ['STOP_COPY', 'P2P', 'PRE_COPY']]);
  });

  it('flag sets are judged as given by --flags', () => {
    expect(only({ 'all.c': ALL }, FLAGS_ALL).flagSets.map((s) => s.flags)).toEqual([['STOP_COPY', 'P2P', 'PRE_COPY']]);
  });
});

describe('several files and functions', () => {
  it('two drivers given together are both checked; the worse verdict wins', () => {
    const r = report({ 'all.c': ALL, 'missing.c': fixture('mutant-missing.c').replace(/otter_/g, 'other_') });
    expect(r.functions.map((f) => [f.name, f.verdict])).toEqual([
      ['otter_vf_pci_step_device_state', 'conform'],
      ['other_vf_pci_step_device_state', 'missing'],
    ]);
    expect(r.verdict).toBe('missing');
  });

  it('the files may come in any order: the step function, the loop and the flags are found where they are', () => {
    const a = report({ 'vfio_dev.c': fixture('split/vfio_dev.c'), 'lm.c': fixture('split/lm.c') });
    const b = report({ 'lm.c': fixture('split/lm.c'), 'vfio_dev.c': fixture('split/vfio_dev.c') });
    expect(b.functions).toEqual(a.functions);
  });
});

describe('the C of real drivers', () => {
  it('locals of the kernel typedefs, labels, goto and type arguments are read in any function the reader parses', () => {
    const helper = [
      'static long lynx_precopy_ioctl(struct lynx_vf_core_device *lvdev, unsigned long arg)',
      '{',
      '\tstruct lynx_precopy_info info = {};',
      '\tloff_t *pos = &lvdev->saving_migf->filp->f_pos;',
      '\tssize_t done = 0;',
      '\t__le32 tag = cpu_to_le32(offsetofend(struct lynx_precopy_info, bytes));',
      '',
      '\tif (lvdev->mig_state != VFIO_DEVICE_STATE_STOP_COPY)',
      '\t\tgoto out;',
      '\tdone = lynx_fill(&info, *pos, tag);',
      'out:',
      '\treturn done;',
      '}',
      '',
    ].join('\n');
    const r = driver({ 'x.c': `${STOP_COPY}\n${helper}` });
    expect(r.ok && r.warnings).toEqual([]);
  });
});
