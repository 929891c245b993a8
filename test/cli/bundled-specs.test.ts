// Bundled specs by name, from any folder (issue 11, item 3): a name without a
// slash and without `.fsm` is a spec of the package, read from the package;
// a path stays a path; with no spec, commands use the bundled mainline spec.
// Run in-process from a folder that holds no spec/ at all.
import { copyFileSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

const ROOT = process.cwd();
let away = '';
/** How the bundled specs are shown from `away`: the path to them, as it is from there. */
let specDir = '';

beforeAll(() => {
  away = realpathSync(mkdtempSync(join(tmpdir(), 'vfio-fsm-away-')));
  copyFileSync(join(ROOT, 'test/fixtures/kernel/linux-5.18.c'), join(away, 'vfio_main.c'));
  process.chdir(away);
  // The package lies outside the scratch folder: its files are shown by their absolute path.
  specDir = relative(away, join(ROOT, 'spec')).startsWith('..') ? join(ROOT, 'spec') : 'spec';
});

afterAll(() => {
  process.chdir(ROOT);
  rmSync(away, { recursive: true, force: true });
});

describe('from a folder without spec/', () => {
  it('check with no spec checks the bundled mainline spec', async () => {
    const r = await runCli(['check']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`${specDir}/vfio-migration.fsm: vfio_device_mig_state, 8 states, 3 flags, 18 arcs, lookup linux-7.2`);
  });

  it('check linux-6.2: a bundled spec by name', async () => {
    const r = await runCli(['check', 'linux-6.2']);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe(`${specDir}/history/linux-6.2.fsm: vfio_device_mig_state, 8 states, 3 flags, 18 arcs, lookup linux-5.18`);
    expect(r.stdout).toContain('\nFAIL: 3 violations of termination');
  });

  it('several names at once, and --json', async () => {
    const r = await runCli(['check', 'linux-5.18', 'v2-protocol', '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { spec: string }[]).map((j) => j.spec)).toEqual([`${specDir}/history/linux-5.18.fsm`, `${specDir}/history/v2-protocol.fsm`]);
  });

  it('kernel <file> --spec linux-5.18', async () => {
    const r = await runCli(['kernel', 'vfio_main.c', '--spec', 'linux-5.18']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`vfio_mig_get_next_state() in vfio_main.c (line`);
    expect(r.stdout.trimEnd().endsWith('kernel and spec agree')).toBe(true);
  });

  it('kernel with no --spec uses the mainline spec', async () => {
    const r = await runCli(['kernel', 'vfio_main.c']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`against ${specDir}/vfio-migration.fsm`);
  });

  it('explain, arcs, parse and diff take names', async () => {
    expect((await runCli(['explain', 'STOP', 'RUNNING'])).code).toBe(0);
    expect((await runCli(['explain', 'STOP', 'RUNNING', 'seed-v6'])).stdout).toContain('STOP -> RUNNING_P2P -> RUNNING');
    expect((await runCli(['arcs', 'post-copy'])).code).toBe(0);
    expect((await runCli(['parse', 'post-copy-draft'])).stdout.split('\n')[0]).toBe(`${specDir}/examples/post-copy-draft.fsm: machine vfio_device_mig_state`);
    const d = await runCli(['diff', 'linux-5.18', 'vfio-migration']);
    expect(d.code).toBe(0);
  });

  it('an unknown name: VF095, exit 2, with the names there are', async () => {
    const r = await runCli(['check', 'linux-9.9']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'linux-9.9:1:1: error VF095: no bundled spec is named `linux-9.9` (bundled: vfio-migration, linux-6.2, linux-5.18, seed-v6, v2-protocol, post-copy, post-copy-draft); a file is named by a path with a slash or ending in .fsm, e.g. ./linux-9.9\n',
    );
  });

  it('a path stays a path, relative to the current folder', async () => {
    const r = await runCli(['check', 'spec/vfio-migration.fsm']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^spec\/vfio-migration\.fsm:1:1: error VF090: no such file/);
  });

  it('specs lists every bundled spec with what it describes and its verdict', async () => {
    const r = await runCli(['specs', '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { name: string; file: string; describes: string; ok: boolean; verdict: string }[];
    expect(rows.map((s) => [s.name, s.ok])).toEqual([
      ['vfio-migration', true],
      ['linux-6.2', false],
      ['linux-5.18', true],
      ['seed-v6', true],
      ['v2-protocol', true],
      ['post-copy', true],
      ['post-copy-draft', false],
    ]);
    expect(rows[1]).toEqual({ name: 'linux-6.2', file: `${specDir}/history/linux-6.2.fsm`, describes: 'Linux 6.2 to 7.1', ok: false, verdict: 'fails: termination, 3 violations' });
  });
});
