// gen's care with its output folder (issue 16, item 4, and issue 11, item 6):
// the folder is checked before anything is read or written; only gen's own
// files are opened, and only their first bytes unless a whole read is
// needed and cheap; a run switches its whole set of files or none; every
// file-system problem is one line and exit 2. File-system failures that
// cannot be made for real here (a full disk, a permission, as root) are made
// by a stand-in file system that fails one chosen call.
import { execFileSync } from 'node:child_process';
import * as realFs from 'node:fs';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runGen } from '../../src/cli/commands/gen.js';
import type { GenFs } from '../../src/cli/gen-fs.js';
import { deferSignals } from '../../src/cli/write-set.js';
import { plain } from '../../src/diagnostics/format.js';
import { headerText } from '../../src/emit/header.js';

const V2 = 'spec/history/v2-protocol.fsm';
const ROOT = process.cwd();
const GB = 1024 ** 3;

let scratch: string;
let out: string;

beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'vfio-fsm-folders-'));
  out = join(scratch, 'out');
});

afterEach(() => {
  rmSync(scratch, { recursive: true, force: true });
});

interface Call {
  readonly name: string;
  readonly path: string;
}

/**
 * The real file system, every call noted (with the path or descriptor it was
 * given), and `fail` asked before each: an error it returns is thrown instead
 * of making the call.
 */
function standIn(fail: (name: string, path: string, nth: number) => NodeJS.ErrnoException | undefined = () => undefined): { fs: GenFs; calls: Call[] } {
  const calls: Call[] = [];
  const counts = new Map<string, number>();
  const fs = Object.fromEntries(
    Object.entries(realFs)
      .filter(([, v]) => typeof v === 'function')
      .map(([name, f]) => [
        name,
        (...args: unknown[]) => {
          const path = String(args[0]);
          calls.push({ name, path });
          const nth = (counts.get(name) ?? 0) + 1;
          counts.set(name, nth);
          const error = fail(name, path, nth);
          if (error) throw error;
          return (f as (...a: unknown[]) => unknown)(...args);
        },
      ]),
  ) as unknown as GenFs;
  return { fs, calls };
}

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

async function gen(options: { specs?: string[]; out?: string | null; check?: boolean; cwd?: string; fs?: GenFs }): Promise<{ exit: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const exit = await runGen(
    { specs: options.specs ?? [V2], out: options.out === null ? undefined : (options.out ?? out), check: Boolean(options.check), cwd: options.cwd ?? ROOT, fs: options.fs },
    { out: (t) => (stdout += t), err: (t) => (stderr += t), paint: plain },
  );
  return { exit, stdout, stderr };
}

/** Every file under `dir`, relative, with its text; hidden ones included. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    (readdirSync(dir, { recursive: true, withFileTypes: true }) as realFs.Dirent[])
      .filter((e) => e.isFile())
      .map((e) => [join(e.parentPath, e.name).slice(dir.length + 1), readFileSync(join(e.parentPath, e.name), 'utf8')])
      .sort(([a], [b]) => (a! < b! ? -1 : 1)),
  );
}

/** A file of `size` bytes that takes no room on disk: `head`, then a hole. */
function sparse(path: string, size: number, head = ''): void {
  const fd = openSync(path, 'w');
  if (head) writeSync(fd, head);
  closeSync(fd);
  truncateSync(path, size);
}

describe('the output folder is checked first', () => {
  it('--out /proc/x: refused in one line, exit 2, without trying to make a folder there', async () => {
    const { fs, calls } = standIn();
    const r = await gen({ out: '/proc/x', fs });
    expect(r).toEqual({ exit: 2, stdout: '', stderr: 'vfio-fsm gen: --out /proc/x is in /proc, a kernel pseudo file system, no place for files; choose another folder\n' });
    expect(calls.filter((c) => ['mkdirSync', 'writeFileSync', 'openSync', 'readdirSync'].includes(c.name))).toEqual([]);
  });

  it('/sys, /proc itself and the file-system root are refused too', async () => {
    expect(await gen({ out: '/sys/x/y' })).toMatchObject({ exit: 2, stderr: 'vfio-fsm gen: --out /sys/x/y is in /sys, a kernel pseudo file system, no place for files; choose another folder\n' });
    expect(await gen({ out: '/proc' })).toMatchObject({ exit: 2, stderr: expect.stringContaining('--out /proc is in /proc') });
    expect(await gen({ out: '/' })).toMatchObject({ exit: 2, stderr: 'vfio-fsm gen: --out / is the root of the file system; choose a folder for the generated files\n' });
  });

  it('a path below a file, and a file: one line, exit 2, nothing written', async () => {
    const file = join(scratch, 'afile');
    writeFileSync(file, 'x');
    expect(await gen({ out: join(file, 'sub') })).toEqual({ exit: 2, stdout: '', stderr: `vfio-fsm gen: --out ${file}/sub lies below ${file}, which is a file, not a folder\n` });
    expect(await gen({ out: join(file, 'sub', 'deeper') })).toMatchObject({ exit: 2, stderr: expect.stringContaining(`lies below ${file}, which is a file`) });
    expect(await gen({ out: file })).toEqual({ exit: 2, stdout: '', stderr: `vfio-fsm gen: --out ${file} exists and is not a folder\n` });
    expect(readdirSync(scratch)).toEqual(['afile']);
  });

  it('a folder without write permission: one line, exit 2', async () => {
    mkdirSync(out);
    const { fs } = standIn((name, path) => (name === 'accessSync' && path === out ? errno('EACCES') : undefined));
    expect(await gen({ fs })).toEqual({ exit: 2, stdout: '', stderr: `vfio-fsm gen: --out ${out}: cannot write in ${out}: no permission to write in it (permission denied (EACCES))\n` });
    // The same when the folder is still to be made inside one gen cannot write in.
    const { fs: fs2 } = standIn((name, path) => (name === 'accessSync' && path === scratch ? errno('EACCES') : undefined));
    const deeper = join(scratch, 'new', 'folder');
    expect(await gen({ out: deeper, fs: fs2 })).toMatchObject({ exit: 2, stderr: `vfio-fsm gen: --out ${deeper}: cannot write in ${scratch}: no permission to write in it (permission denied (EACCES))\n` });
  });

  // Root writes in any folder whatever its mode; as another user the mode is enough.
  it.skipIf(process.getuid?.() === 0)('a real folder without write permission', async () => {
    mkdirSync(out);
    chmodSync(out, 0o555);
    try {
      expect(await gen({})).toMatchObject({ exit: 2, stderr: expect.stringContaining('no permission to write in it') });
    } finally {
      chmodSync(out, 0o755);
    }
  });

  it('the --check of a folder gen cannot use is refused the same way', async () => {
    expect(await gen({ out: '/proc/x', check: true })).toMatchObject({ exit: 2, stderr: expect.stringContaining('a kernel pseudo file system') });
  });
});

describe('gen opens only its own files, and reads only their first bytes', () => {
  it('a 1 GB sparse file in the way is refused from its first bytes, never read whole', async () => {
    mkdirSync(join(out, 'history'), { recursive: true });
    const big = join(out, 'history/v2-protocol.c');
    sparse(big, GB);
    const { fs, calls } = standIn();
    const r = await gen({ fs });
    expect(r.exit).toBe(1);
    expect(r.stderr).toContain('v2-protocol.c exists without the "generated by vfio-fsm" header; it was not written by vfio-fsm, so it is left alone');
    expect(calls.filter((c) => c.name === 'readFileSync' && c.path === big)).toEqual([]);
    expect(statSync(big).size).toBe(GB);
    const checked = await gen({ check: true, fs });
    expect(checked.exit).toBe(1);
    expect(checked.stdout).toContain('v2-protocol.c exists without the "generated by vfio-fsm" header: gen would refuse to overwrite it');
    expect(calls.filter((c) => c.name === 'readFileSync' && c.path === big)).toEqual([]);
  });

  it('a 1 GB sparse file of its own is replaced, and reported stale, without being read whole', async () => {
    mkdirSync(join(out, 'history'), { recursive: true });
    const big = join(out, 'history/v2-protocol.c');
    sparse(big, GB, `/* ${headerText(V2)} */\n`);
    const { fs, calls } = standIn();
    const checked = await gen({ check: true, fs });
    expect(checked.exit).toBe(1);
    expect(checked.stdout).toMatch(new RegExp(`v2-protocol\\.c is stale: it is ${GB} bytes, where gen makes \\d+; too large to show a diff`));
    const r = await gen({ fs });
    expect(r.exit).toBe(0);
    expect(r.stdout).toContain('7 written, 0 unchanged');
    expect(calls.filter((c) => c.name === 'readFileSync' && c.path === big)).toEqual([]);
    expect(statSync(big).size).toBeLessThan(100_000);
  });

  it('an unreadable file that is not one of its targets is never opened, and gen writes normally', async () => {
    mkdirSync(out);
    const notes = join(out, 'notes.txt');
    writeFileSync(notes, 'mine\n');
    chmodSync(notes, 0o000);
    // Root reads it anyway, so the stand-in refuses to open it, as the file system would for anyone else.
    const { fs, calls } = standIn((name, path) => (name === 'openSync' && path === notes ? errno('EACCES') : undefined));
    const r = await gen({ specs: [], fs });
    expect(r.exit).toBe(0);
    expect(r.stdout).toContain('7 written, 0 unchanged');
    expect(calls.filter((c) => c.path === notes && c.name !== 'lstatSync')).toEqual([]);
    chmodSync(notes, 0o644);
    expect(readFileSync(notes, 'utf8')).toBe('mine\n');
  });

  it('an unreadable file with one of its extensions that is not a target is passed over', async () => {
    mkdirSync(out);
    const stray = join(out, 'stray.ts');
    writeFileSync(stray, `// ${headerText(V2)}\n`);
    const { fs } = standIn((name, path) => (name === 'openSync' && path === stray ? errno('EACCES') : undefined));
    const r = await gen({ fs });
    expect(r.exit).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('7 written, 0 unchanged');
  });

  it('a target it cannot read is one line and exit 2: it cannot tell whether the file is its own', async () => {
    await gen({});
    const target = join(out, 'history/v2-protocol.json');
    const { fs } = standIn((name, path) => (name === 'openSync' && path === target ? errno('EACCES') : undefined));
    expect(await gen({ fs })).toEqual({ exit: 2, stdout: '', stderr: `vfio-fsm gen: cannot read ${target} to tell whether gen wrote it: permission denied (EACCES)\n` });
  });

  it('a FIFO where a target should be is refused without blocking on it', async () => {
    mkdirSync(join(out, 'history'), { recursive: true });
    execFileSync('mkfifo', [join(out, 'history/v2-protocol.ts')]);
    const r = await gen({});
    expect(r.exit).toBe(1);
    expect(r.stderr).toContain('v2-protocol.ts exists and is not a regular file');
  });
});

describe('a run switches its whole set of files, or none', () => {
  /** The previous generation: gen's files for the v2 spec, each then edited so that the next run rewrites all of them. */
  async function previousGeneration(): Promise<Record<string, string>> {
    expect((await gen({})).exit).toBe(0);
    for (const f of Object.keys(snapshot(out))) writeFileSync(join(out, f), `${readFileSync(join(out, f), 'utf8')}\n`);
    return snapshot(out);
  }

  it('a full disk on the third file: nothing changed, no temporary file left, one line, exit 2', async () => {
    const before = await previousGeneration();
    const { fs } = standIn((name, _path, nth) => (name === 'writeFileSync' && nth === 3 ? errno('ENOSPC') : undefined));
    const r = await gen({ fs });
    expect(r.exit).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^vfio-fsm gen: cannot write .*\/history\/v2-protocol\.json: no space left on the device \(ENOSPC\); nothing was changed\n$/);
    expect(snapshot(out)).toEqual(before);
  });

  it('a permission refused on a sub-folder: nothing changed', async () => {
    const before = await previousGeneration();
    const { fs } = standIn((name, path) => (name === 'writeFileSync' && path.includes('v2-protocol.svg') ? errno('EACCES') : undefined));
    const r = await gen({ fs });
    expect(r.exit).toBe(2);
    expect(r.stderr).toMatch(/cannot write .*v2-protocol\.svg: permission denied \(EACCES\); nothing was changed\n$/);
    expect(snapshot(out)).toEqual(before);
  });

  it('a rename that fails half way: the files already switched are put back', async () => {
    const before = await previousGeneration();
    const { fs } = standIn((name, path, nth) => (name === 'renameSync' && nth === 4 && path.endsWith('.tmp') ? errno('EIO') : undefined));
    const r = await gen({ fs });
    expect(r.exit).toBe(2);
    expect(r.stderr).toMatch(/cannot put .* in place: input\/output error \(EIO\); the files already switched were put back; nothing was changed\n$/);
    expect(snapshot(out)).toEqual(before);
  });

  it('new files and folders of a failed run are removed', async () => {
    const failFifth = () => standIn((name, _path, nth) => (name === 'writeFileSync' && nth === 5 ? errno('ENOSPC') : undefined)).fs;
    const r = await gen({ fs: failFifth() });
    expect(r.exit).toBe(2);
    expect(readdirSync(scratch)).toEqual([]);
    mkdirSync(out);
    expect((await gen({ fs: failFifth() })).exit).toBe(2);
    expect(readdirSync(out)).toEqual([]);
  });

  it('the side files of a killed run are cleaned up; those of a live one are left', async () => {
    await previousGeneration();
    const dead = join(out, `history/.v2-protocol.ts.999999999.0123abcd.tmp`);
    const live = join(out, `history/.v2-protocol.ts.${process.pid}.0123abcd.old`);
    const other = join(out, `history/.notes.txt.999999999.0123abcd.tmp`);
    for (const f of [dead, live, other]) writeFileSync(f, 'x');
    expect((await gen({})).exit).toBe(0);
    const hidden = readdirSync(join(out, 'history')).filter((f) => f.startsWith('.'));
    expect(hidden.sort()).toEqual(['.notes.txt.999999999.0123abcd.tmp', `.v2-protocol.ts.${process.pid}.0123abcd.old`]);
  });

  it('a signal that arrives while the set is written is acted on only after', async () => {
    const raised: string[] = [];
    let during = 0;
    await deferSignals(
      () => {
        process.kill(process.pid, 'SIGHUP');
        during = raised.length;
      },
      (s) => void raised.push(s),
    );
    expect(during).toBe(0);
    expect(raised).toEqual(['SIGHUP']);
  });
});

describe('on a real full file system', () => {
  it('a tmpfs too small for the new set keeps the previous generation whole', async (ctx) => {
    const mount = join(scratch, 'small');
    mkdirSync(mount);
    const spec = join(scratch, 'spec.fsm');
    // The previous generation, from the v2 spec; the new one, from the 5.18 spec at the same path.
    writeFileSync(spec, readFileSync(V2, 'utf8'));
    const sizing = join(scratch, 'sizing');
    expect((await gen({ specs: [spec], out: sizing })).exit).toBe(0);
    const pages = Object.values(snapshot(sizing)).reduce((n, t) => n + Math.ceil(Buffer.byteLength(t) / 4096), 0);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${(pages + 3) * 4096}`, 'tmpfs', mount], { stdio: 'ignore' });
    } catch {
      return ctx.skip('cannot mount a tmpfs here (it needs root); the stand-in full disk above covers the same path');
    }
    try {
      const target = join(mount, 'out');
      expect((await gen({ specs: [spec], out: target })).exit).toBe(0);
      const before = snapshot(target);
      expect(Object.keys(before)).toHaveLength(7);
      writeFileSync(spec, readFileSync('spec/history/linux-5.18.fsm', 'utf8'));
      const r = await gen({ specs: [spec], out: target });
      expect(r.exit).toBe(2);
      expect(r.stderr).toMatch(/no space left on the device \(ENOSPC\); nothing was changed\n$/);
      expect(snapshot(target)).toEqual(before);
    } finally {
      execFileSync('umount', [mount]);
    }
  });
});

describe('on a real read-only file system', () => {
  it('a folder on a read-only mount: one line, exit 2', async (ctx) => {
    const mount = join(scratch, 'ro');
    mkdirSync(mount);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', mount], { stdio: 'ignore' });
    } catch {
      return ctx.skip('cannot mount a tmpfs here (it needs root); the stand-in refusal above covers the same path');
    }
    try {
      const r = await gen({ out: join(mount, 'out') });
      expect(r).toEqual({ exit: 2, stdout: '', stderr: `vfio-fsm gen: --out ${mount}/out: cannot write in ${mount}: it is on a read-only file system\n` });
      // --check writes nothing, so it needs no write permission: the files are missing, exit 1.
      const checked = await gen({ out: join(mount, 'out'), check: true });
      expect(checked.exit).toBe(1);
      expect(checked.stderr).toBe('vfio-fsm gen --check: 7 of 7 generated files are stale, missing or in the way; run vfio-fsm gen\n');
    } finally {
      execFileSync('umount', [mount]);
    }
  });
});

describe('where gen writes without --out', () => {
  it('in the repository, the bundled specs go to generated/ (here only compared: --check)', async () => {
    const r = await gen({ specs: ['linux-5.18'], out: null, check: true });
    expect(r.exit).toBe(0);
    expect(r.stdout).toBe('7 generated files are up to date\n');
  });

  it('a spec that is not bundled needs --out, even in the repository', async () => {
    const spec = join(scratch, 'mine.fsm');
    writeFileSync(spec, readFileSync(V2, 'utf8'));
    const r = await gen({ specs: [spec], out: null });
    expect(r).toEqual({
      exit: 2,
      stdout: '',
      stderr: `vfio-fsm gen: say where to write with --out DIR (generated/ is the default only for bundled specs, in the vfio-fsm repository itself, and ${spec} is not bundled)\n`,
    });
  });

  it('anywhere else, gen needs --out', async () => {
    const r = await gen({ specs: [], out: null, cwd: scratch });
    expect(r).toEqual({ exit: 2, stdout: '', stderr: 'vfio-fsm gen: say where to write with --out DIR (generated/ is the default only for bundled specs, in the vfio-fsm repository itself)\n' });
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('anywhere else, bundled specs by name: the headers record the name, and --check reads them back', async () => {
    const r = await gen({ specs: ['linux-5.18', 'linux-6.2'], out: 'gen', cwd: scratch });
    expect(r.exit).toBe(0);
    expect(readdirSync(join(scratch, 'gen')).sort()).toEqual([...['c', 'dot', 'json', 'mmd', 'pml', 'svg', 'ts'].map((k) => `linux-5.18.${k}`), 'linux-6.2.pml']);
    expect(readFileSync(join(scratch, 'gen/linux-5.18.ts'), 'utf8')).toContain(headerText('linux-5.18'));
    // With no spec: the mainline spec, missing, and the two the headers name, up to date.
    const checked = await gen({ specs: [], out: 'gen', cwd: scratch, check: true });
    expect(checked.exit).toBe(1);
    expect(checked.stderr).toContain('vfio-fsm gen --check: 7 of 15 generated files are stale, missing or in the way; run vfio-fsm gen\n');
    expect(checked.stdout).toMatch(/^--- gen\/vfio-migration\.ts\tmissing$/m);
    expect(checked.stdout).not.toContain('linux-5.18');
    expect(resolve(scratch, 'gen')).not.toContain(ROOT);
  });

  it('an unknown name is a located error, exit 2', async () => {
    const r = await gen({ specs: ['linux-9.9'], cwd: scratch, out: 'gen' });
    expect(r.exit).toBe(2);
    expect(r.stderr).toMatch(/^linux-9\.9:1:1: error VF095: no bundled spec is named `linux-9\.9`/);
  });
});
