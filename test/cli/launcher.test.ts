// The command as installed (dist/src/cli/vfio-fsm.cjs): what the launcher
// answers by itself is what the program prints, to the byte; the bundled
// program behind it prints the same with its cache empty, full, damaged,
// unusable or off; and runs at the same moment share the cache safely.
// (gen's progress on a terminal is tested in-process, test/emit/gen-cli.test.ts.)
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { quickAnswers } from '../../src/cli/build/quick-answers.js';
import type { LaunchData } from '../../src/cli/launch-data.js';
import { runProgram } from '../../src/cli/program.js';
import { CLI, ensureBuilt, plainEnv, vfio } from '../support/built-cli.js';
import { ROOT } from '../support/spec-text.js';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
let launch: LaunchData;
let dir = '';

beforeAll(() => {
  ensureBuilt();
  launch = JSON.parse(readFileSync(join(ROOT, 'dist/src/cli/launch.json'), 'utf8')) as LaunchData;
  dir = mkdtempSync(join(tmpdir(), 'vfio-fsm-launcher-'));
}, 180_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A cache folder of one test's own (XDG_CACHE_HOME), empty. */
function freshCache(name: string): { env: NodeJS.ProcessEnv; folder: string } {
  const home = join(dir, name);
  return { env: { XDG_CACHE_HOME: home, VFIO_FSM_NO_CACHE: '' }, folder: join(home, 'vfio-fsm') };
}

function cacheFiles(folder: string): string[] {
  return existsSync(folder) ? readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((f) => f.includes('/')).sort() : [];
}

describe('what the launcher answers without the program', () => {
  it('is what the program prints to a pipe, for the version and every help', async () => {
    // launch.json holds what the build's program printed; the sources' program prints the same today.
    expect(await quickAnswers(VERSION)).toEqual({ quick: launch.quick, texts: launch.texts });
    const lines = Object.keys(launch.quick).map((k) => k.split('\0'));
    expect(lines).toContainEqual(['--help']);
    expect(lines).toContainEqual(['--version']);
    for (const command of ['check', 'kernel', 'gen']) expect(lines).toContainEqual([command, '--help']);
  });

  it.each([['--help'], ['-V'], ['check', '--help'], ['help', 'kernel'], ['gen', '-h']])('vfio-fsm %s', (...args) => {
    const r = vfio(args);
    expect(r).toEqual({ code: 0, stdout: launch.texts[launch.quick[args.join('\0')]!], stderr: '' });
    expect(r.stdout).toEqual(args[0] === '-V' ? `${VERSION}\n` : expect.stringContaining('Usage: vfio-fsm'));
  });

  it('leaves other command lines to the program, help included', async () => {
    // `constructor` and `toString` name no command, whatever an object's prototype holds.
    for (const args of [['check', '--help', '--json'], ['kernel'], ['help', 'frobnicate'], ['constructor'], ['toString']]) {
      const r = vfio(args);
      expect(r).toEqual(await inProcess(args));
    }
  });
});

describe('a broken installation', () => {
  it('ends in one line and exit 2, never a stack trace', () => {
    const lone = join(dir, 'broken');
    mkdirSync(lone);
    copyFileSync(CLI, join(lone, 'vfio-fsm.cjs'));
    const run = (args: string[]) => spawnSync(process.execPath, [join(lone, 'vfio-fsm.cjs'), ...args], { encoding: 'utf8' });
    // Without launch.json.
    let r = run(['--version']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^vfio-fsm: internal error: .*launch\.json.*\n$/);
    // With it, but without the bundled program: help and version still answer; a command cannot run.
    copyFileSync(join(ROOT, 'dist/src/cli/launch.json'), join(lone, 'launch.json'));
    expect(run(['--version']).stdout).toBe(`${VERSION}\n`);
    r = run(['check']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^vfio-fsm: internal error: .*vfio-fsm\.bundle\.cjs.*\n$/);
  });
});

/** The sources' program, run in this process, as if to a pipe. */
async function inProcess(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((stdout += String(c)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((stderr += String(c)), true));
  const tty = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
  Object.defineProperty(process.stdout, 'isTTY', { value: false, configurable: true });
  try {
    const code = await runProgram(VERSION, ['node', 'vfio-fsm', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    if (tty) Object.defineProperty(process.stdout, 'isTTY', tty);
    else delete (process.stdout as { isTTY?: boolean }).isTTY;
  }
}

describe('the cache, as the command uses it', () => {
  const KERNEL = ['kernel', 'test/fixtures/kernel/linux-6.2.c'];
  /** What the command prints with the cache off: every run below must print it. */
  let plain: ReturnType<typeof vfio>;
  beforeAll(() => {
    plain = vfio(KERNEL, { VFIO_FSM_NO_CACHE: '1' });
  });

  it('keeps specs, the cross-check and the compiled code, and prints the same from them', () => {
    const { env, folder } = freshCache('fills');
    expect(plain.code).toBe(1);
    const first = vfio(KERNEL, env);
    const kinds = (files: string[]) => [...new Set(files.map((f) => f.split('/')[1]!.split('-')[0]))].sort();
    expect(kinds(cacheFiles(folder))).toEqual(['c', 'code', 'kernel', 'spec']);
    const second = vfio(KERNEL, env);
    expect(first).toEqual(plain);
    expect(second).toEqual(plain);
  });

  it('reads a damaged entry as a miss and writes it anew', () => {
    const { env, folder } = freshCache('damaged');
    vfio(KERNEL, env);
    vfio(KERNEL, env);
    for (const file of cacheFiles(folder)) {
      const path = join(folder, file);
      const bytes = readFileSync(path);
      // A bit flipped in the middle of each: the compiled code's too, which V8 would take as it is.
      const middle = bytes.length >> 1;
      bytes.writeUInt8(bytes.readUInt8(middle) ^ 0x10, middle);
      writeFileSync(path, bytes);
    }
    const damaged = cacheFiles(folder).map((f) => readFileSync(join(folder, f)));
    expect(vfio(KERNEL, env)).toEqual(plain);
    const rewritten = cacheFiles(folder).map((f) => readFileSync(join(folder, f)));
    expect(rewritten.filter((b, i) => b.equals(damaged[i]!))).toEqual([]);
    expect(vfio(KERNEL, env)).toEqual(plain);
  });

  it('is not needed: a cache folder that cannot be made costs nothing but time', () => {
    const blocked = join(dir, 'a-file');
    writeFileSync(blocked, '');
    expect(vfio(KERNEL, { XDG_CACHE_HOME: blocked, VFIO_FSM_NO_CACHE: '' })).toEqual(plain);
  });

  it('is off with --no-cache or VFIO_FSM_NO_CACHE=1: nothing written', () => {
    const { env, folder } = freshCache('off');
    expect(vfio(['check', '--no-cache'], env).code).toBe(0);
    expect(vfio(['--no-cache', 'check'], env).code).toBe(0);
    expect(vfio(['check'], { ...env, VFIO_FSM_NO_CACHE: '1' }).code).toBe(0);
    expect(existsSync(folder)).toBe(false);
  });

  it('is shared safely by runs at the same moment', async () => {
    const { env, folder } = freshCache('concurrent');
    const runAsync = (): Promise<{ code: number | null; stdout: string; stderr: string }> =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, ...KERNEL], { cwd: ROOT, env: { ...plainEnv(), ...env } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    const runs = await Promise.all([runAsync(), runAsync(), runAsync(), runAsync()]);
    for (const r of runs) expect(r).toEqual(plain);
    expect(cacheFiles(folder).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(vfio(KERNEL, env)).toEqual(plain);
  }, 60_000);
});
