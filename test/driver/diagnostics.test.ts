// Every diagnostic the driver reader can give (VF400-VF410), each on an input
// made to cause it, with its place and its words. The coverage test at the
// end fails when a VF4xx code of the registry has no test here.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CODES } from '../../src/diagnostics/codes.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import type { DriverInputs } from '../../src/kernel/driver/check-driver.js';
import { at, driver, edited, fixture } from './support.js';

const FILE = 'test/fixtures/drivers/conform-stop-copy.c';
const TEXT = fixture('conform-stop-copy.c');

function refused(files: Readonly<Record<string, string>>, options: Omit<DriverInputs, 'sources'> = {}): readonly Diagnostic[] {
  const r = driver(files, options);
  if (r.ok) throw new Error('expected diagnostics, got a report');
  return r.diagnostics;
}

function warned(files: Readonly<Record<string, string>>, options: Omit<DriverInputs, 'sources'> = {}): readonly Diagnostic[] {
  const r = driver(files, options);
  if (!r.ok) throw new Error(`expected a report: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return r.warnings;
}

describe('the driver reader refuses what it cannot read, at its place', () => {
  it('VF400 no step function in the files', () => {
    const [d, ...rest] = refused({ 'main.c': 'int main(void)\n{\n\treturn 0;\n}\n' });
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      code: 'VF400',
      severity: 'error',
      file: 'main.c',
      line: 1,
      column: 1,
      message: "no step function in main.c: no function compares the device's current state and a requested state with the spec's state constants (VFIO_DEVICE_STATE_*); name it with --function",
    });
  });

  it('VF401 --function names a function the files do not define', () => {
    const [d] = refused({ [FILE]: TEXT }, { functionName: 'lynx_step' });
    expect(d).toMatchObject({ code: 'VF401', line: 1, column: 1, message: `no definition of lynx_step() in ${FILE}` });
  });

  it('VF402 a syntax error in the named step function', () => {
    const text = edited(TEXT, 'if (cur == VFIO_DEVICE_STATE_RUNNING && new == VFIO_DEVICE_STATE_STOP) {', 'if (cur == VFIO_DEVICE_STATE_RUNNING && new == VFIO_DEVICE_STATE_STOP {');
    const [d] = refused({ [FILE]: text }, { functionName: 'lynx_vf_step_device_state_locked' });
    expect(d).toMatchObject({ code: 'VF402', ...at(text, '{\n\t\tret = lynx_vf_halt') });
    expect(d!.message).toMatch(/^C syntax error: expected `\)`.*, found "\{" \(in lynx_vf_step_device_state_locked\(\), the step function\)$/);
  });

  it('VF402 a syntax error in the function that sets migration_flags', () => {
    const text = edited(TEXT, 'core_vdev->migration_flags = VFIO_MIGRATION_STOP_COPY;', 'core_vdev->migration_flags = VFIO_MIGRATION_STOP_COPY |;');
    const [d] = refused({ [FILE]: text });
    expect(d).toMatchObject({ code: 'VF402', ...at(text, ';\n\tcore_vdev->mig_ops') });
    expect(d!.message).toMatch(/\(in lynx_vf_init_dev\(\), the function that sets migration_flags\)$/);
  });

  it('VF403 the named step function has no closing brace', () => {
    const cut = TEXT.slice(0, TEXT.indexOf('\t/* vfio_mig_get_next_state() hands out no other arc */'));
    const [d] = refused({ [FILE]: cut }, { functionName: 'lynx_vf_step_device_state_locked' });
    expect(d).toMatchObject({ code: 'VF403', ...at(cut, 'lynx_vf_step_device_state_locked(struct'), message: 'lynx_vf_step_device_state_locked() has no closing brace' });
  });

  it('VF403 an unterminated comment hides every function', () => {
    const text = TEXT.replace(/\*\//g, '  ');
    const ds = refused({ [FILE]: text });
    expect(ds.map((d) => d.code)).toEqual(['VF403', 'VF400']);
    expect(ds[0]).toMatchObject({ ...at(text, '/*'), message: 'unterminated comment or literal: the rest of the file cannot be read' });
  });

  it('VF404 the named function compares no two variables with state constants', () => {
    const [d] = refused({ [FILE]: TEXT }, { functionName: 'lynx_vf_halt' });
    expect(d).toMatchObject({
      code: 'VF404',
      ...at(TEXT, 'lynx_vf_halt(struct'),
      message: "cannot tell which variable of lynx_vf_halt() holds the current state and which the requested one: it compares no two of them with the spec's state constants",
    });
  });

  it('VF405 no assignment to migration_flags, and no --flags', () => {
    const lm = fixture('split/lm.c');
    const [d] = refused({ 'lm.c': lm });
    expect(d).toMatchObject({ code: 'VF405', line: 1, column: 1, message: 'no assignment to migration_flags in lm.c: give the file that sets it, or the flags with --flags' });
  });

  it('VF405 assignments to migration_flags that leave no flag set', () => {
    const text = edited(TEXT, 'core_vdev->migration_flags = VFIO_MIGRATION_STOP_COPY;', 'core_vdev->migration_flags = 0;');
    const [d] = refused({ [FILE]: text });
    expect(d).toMatchObject({ code: 'VF405', ...at(text, 'lynx_vf_init_dev(struct'), message: 'no path through lynx_vf_init_dev() leaves a flag set in migration_flags' });
  });

  it('VF406 a value given to migration_flags that is not made of flag names', () => {
    const text = edited(TEXT, 'core_vdev->migration_flags = VFIO_MIGRATION_STOP_COPY;', 'core_vdev->migration_flags = lynx_fw_flags(lvdev);');
    const [d] = refused({ [FILE]: text });
    expect(d).toMatchObject({
      code: 'VF406',
      ...at(text, 'lynx_fw_flags(lvdev);'),
      message: "the value given to migration_flags is not a combination of the spec's flag names: give the flags with --flags",
    });
  });

  it('VF407 a flag the spec does not declare', () => {
    const text = edited(TEXT, 'core_vdev->migration_flags = VFIO_MIGRATION_STOP_COPY;', 'core_vdev->migration_flags = VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_POST_COPY;');
    const [d] = refused({ [FILE]: text });
    expect(d).toMatchObject({ code: 'VF407', ...at(text, 'VFIO_MIGRATION_POST_COPY'), message: '`VFIO_MIGRATION_POST_COPY` names no flag of spec/vfio-migration.fsm (it declares STOP_COPY, P2P, PRE_COPY)' });
  });

  it('VF408 (warning) the same step function in two files', () => {
    const [d, ...rest] = warned({ [FILE]: TEXT, 'copy.c': TEXT });
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: 'VF408', severity: 'warning', file: 'copy.c', ...at(TEXT, 'lynx_vf_step_device_state_locked(struct'), message: `another definition of lynx_vf_step_device_state_locked(); only the first (${FILE}) is read` });
  });

  it('VF409 (warning) an arc selected a second time', () => {
    const text = fixture('mutant-swapped.c');
    const [d] = warned({ 'mutant-swapped.c': text });
    expect(d).toMatchObject({ code: 'VF409', severity: 'warning', line: 124, column: 7, message: 'STOP_COPY -> STOP is already selected at line 104: this test is never reached for it' });
  });

  it('VF410 (warning) a function that compares states but cannot be read is left out', () => {
    const helper = 'static bool lynx_is_saving(u32 cur)\n{\n\treturn cur == VFIO_DEVICE_STATE_STOP_COPY ||;\n}\n';
    const text = `${TEXT}\n${helper}`;
    const [d] = warned({ [FILE]: text });
    expect(d).toMatchObject({ code: 'VF410', severity: 'warning', ...at(text, ';\n}\n', 1 + (TEXT.match(/;\n}\n/g)?.length ?? 0)) });
    expect(d!.message).toMatch(/^lynx_is_saving\(\) compares states but cannot be read \(C syntax error: .*\); it is not considered as a step function$/);
  });
});

describe('coverage', () => {
  it('every VF4xx code of the registry has a test above', () => {
    const tested = new Set([...readFileSync(fileURLToPath(import.meta.url), 'utf8').matchAll(/it\('(VF4\d{2})/g)].map((m) => m[1]!));
    expect(Object.keys(CODES).filter((c) => c.startsWith('VF4') && !tested.has(c))).toEqual([]);
  });
});
