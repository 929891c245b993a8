// The cache's store: entries read back whole or not at all, whatever
// happened to the file; a folder it cannot use costs nothing but the cache;
// writers at the same moment leave one whole entry.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheFolder } from '../../../src/cli/cache/place.js';
import { openStore, unpack } from '../../../src/cli/cache/store.js';
import { ensureBuilt } from '../../support/built-cli.js';
import { ROOT } from '../../support/spec-text.js';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vfio-fsm-store-'));
});
afterEach(() => {
  chmodSync(dir, 0o755);
  rmSync(dir, { recursive: true, force: true });
});

/** A copy of `b` with the bits `mask` of byte `at` flipped. */
function flip(b: Buffer, at: number, mask: number): Buffer {
  const c = Buffer.from(b);
  c.writeUInt8(c.readUInt8(at) ^ mask, at);
  return c;
}

function entries(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((f) => f.includes('-') && !f.endsWith('.tmp') && f.includes('/'));
}

describe('openStore', () => {
  it('reads back what it wrote, under its key only', () => {
    const store = openStore(dir, 'build1')!;
    expect(store.get('spec', 'a')).toBeNull();
    store.put('spec', 'a', 'payload of a');
    store.put('spec', 'b', new Uint8Array([1, 2, 3]));
    expect(store.get('spec', 'a')?.toString()).toBe('payload of a');
    expect([...(store.get('spec', 'b') ?? [])]).toEqual([1, 2, 3]);
    expect(store.get('code', 'a')).toBeNull();
    expect(store.misses).toBe(2);
  });

  it('keeps each build apart', () => {
    openStore(dir, 'build1')!.put('spec', 'a', 'one');
    expect(openStore(dir, 'build2')!.get('spec', 'a')).toBeNull();
    expect(openStore(dir, 'build1')!.get('spec', 'a')?.toString()).toBe('one');
  });

  it('reads a damaged entry as a miss, and a later write replaces it', () => {
    const store = openStore(dir, 'b')!;
    store.put('spec', 'key', 'x'.repeat(1000));
    const [file] = entries(dir);
    const path = join(dir, file!);
    const good = readFileSync(path);
    for (const damage of [
      (b: Buffer) => b.subarray(0, b.length - 1), // cut short
      (b: Buffer) => Buffer.concat([b, Buffer.from('!')]), // one byte too many
      (b: Buffer) => flip(b, b.length >> 1, 1), // one bit flipped in the payload
      (b: Buffer) => flip(b, 5, 0xff), // in the checksum
      (b: Buffer) => { const c = Buffer.from(b); c.writeUInt32LE(1e9, 8); return c; }, // a key length past the end
      () => Buffer.alloc(0),
      () => Buffer.from('not an entry at all'),
    ]) {
      writeFileSync(path, damage(good));
      expect(store.get('spec', 'key')).toBeNull();
    }
    store.put('spec', 'key', 'again');
    expect(store.get('spec', 'key')?.toString()).toBe('again');
  });

  it('holds the whole key: an entry read under another key is a miss', () => {
    const store = openStore(dir, 'b')!;
    store.put('spec', 'the key', 'v');
    const [file] = entries(dir);
    const bytes = readFileSync(join(dir, file!));
    expect(unpack(bytes, 'the key')?.toString()).toBe('v');
    expect(unpack(bytes, 'the keY')).toBeNull();
  });

  it('works without a folder it can write: nothing kept, nothing thrown', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const store = openStore(join(file, 'cache'), 'b')!;
    store.put('spec', 'a', 'v');
    expect(store.get('spec', 'a')).toBeNull();
  });

  it.skipIf(process.getuid?.() === 0)('works in a read-only folder: reads what is there, writes nothing', () => {
    openStore(dir, 'b')!.put('spec', 'a', 'v');
    chmodSync(join(dir, 'b'), 0o555);
    chmodSync(dir, 0o555);
    const store = openStore(dir, 'b')!;
    expect(store.get('spec', 'a')?.toString()).toBe('v');
    store.put('spec', 'c', 'w');
    expect(store.get('spec', 'c')).toBeNull();
    chmodSync(join(dir, 'b'), 0o755);
  });

  it('drops the folders of older builds, keeping the one before', () => {
    for (const build of ['b1', 'b2', 'b3']) openStore(dir, build)!.put('spec', 'k', build);
    expect(readdirSync(dir).sort()).toEqual(['b2', 'b3']);
  });

  it('refuses a build id that is no plain name', () => {
    expect(openStore(dir, '../elsewhere')).toBeNull();
    expect(openStore(dir, '')).toBeNull();
  });

  it('leaves one whole entry when several processes write the same key at once, and a reader meanwhile reads whole ones', async () => {
    // The children run the built store (node runs JavaScript, not the TypeScript sources).
    ensureBuilt();
    const store = join(ROOT, 'dist/src/cli/cache/store.js');
    // Each writer puts a payload of its own, 60 times over; a reader reads all the while.
    const writer = (n: number): string =>
      `import { openStore } from ${JSON.stringify(store)};
       const s = openStore(${JSON.stringify(dir)}, 'b');
       for (let i = 0; i < 60; i++) s.put('spec', 'shared', ${JSON.stringify(String(n))}.repeat(50000));`;
    const reader = `import { openStore } from ${JSON.stringify(store)};
       const s = openStore(${JSON.stringify(dir)}, 'b'); let bad = 0;
       for (let i = 0; i < 150; i++) { const v = s.get('spec', 'shared'); if (v && !/^(\\d)\\1{49999}$/.test(v.toString())) bad++; }
       process.stdout.write(String(bad));`;
    const run = (code: string): Promise<string> =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.on('error', reject);
        child.on('close', (status) => (status === 0 ? resolve(out) : reject(new Error(`exit ${status}`))));
      });
    const results = await Promise.all([run(writer(1)), run(writer(2)), run(writer(3)), run(reader)]);
    expect(results[3]).toBe('0');
    const value = openStore(dir, 'b')!.get('spec', 'shared')?.toString();
    expect(['1', '2', '3'].map((n) => n.repeat(50000))).toContain(value);
    expect(readdirSync(join(dir, 'b')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 120_000);
});

describe('cacheFolder', () => {
  it('is under XDG_CACHE_HOME, else ~/.cache', () => {
    expect(cacheFolder({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' }, ['check'])).toBe('/x/cache/vfio-fsm');
    expect(cacheFolder({ HOME: '/home/u' }, ['check'])).toBe('/home/u/.cache/vfio-fsm');
    // A relative XDG_CACHE_HOME is ignored, as the XDG spec says.
    expect(cacheFolder({ XDG_CACHE_HOME: 'rel', HOME: '/home/u' }, [])).toBe('/home/u/.cache/vfio-fsm');
    expect(cacheFolder({}, [])).toBeNull();
  });

  it('is off with --no-cache (before a `--`) or VFIO_FSM_NO_CACHE', () => {
    const env = { HOME: '/h' };
    expect(cacheFolder(env, ['check', '--no-cache'])).toBeNull();
    expect(cacheFolder(env, ['check', '--', '--no-cache'])).toBe('/h/.cache/vfio-fsm');
    for (const value of ['1', 'yes', 'true']) expect(cacheFolder({ ...env, VFIO_FSM_NO_CACHE: value }, [])).toBeNull();
    for (const value of ['', '0']) expect(cacheFolder({ ...env, VFIO_FSM_NO_CACHE: value }, [])).toBe('/h/.cache/vfio-fsm');
  });
});

describe('the entry limit', () => {
  it('keeps a build folder under its limit, dropping the oldest entries', () => {
    mkdirSync(join(dir, 'b'));
    // 450 entries written by earlier runs, oldest first.
    for (let i = 0; i < 450; i++) writeFileSync(join(dir, 'b', `spec-old-${i}`), '');
    openStore(dir, 'b')!.put('spec', 'new', 'v');
    const left = readdirSync(join(dir, 'b'));
    expect(left.length).toBeLessThanOrEqual(300);
    expect(left).not.toContain('spec-old-0');
    expect(left).toContain('spec-old-449');
    expect(openStore(dir, 'b')!.get('spec', 'new')?.toString()).toBe('v');
  });

  it('keeps a build folder under 64 MB', () => {
    mkdirSync(join(dir, 'b'));
    for (let i = 0; i < 5; i++) writeFileSync(join(dir, 'b', `code-old-${i}`), Buffer.alloc(15 * 1024 * 1024));
    openStore(dir, 'b')!.put('spec', 'new', 'v');
    const left = readdirSync(join(dir, 'b'));
    expect(left.filter((f) => f.startsWith('code-old-')).length).toBe(3);
    expect(openStore(dir, 'b')!.get('spec', 'new')?.toString()).toBe('v');
  });
});
