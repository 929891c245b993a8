// The package as a user gets it: `npm pack`, installed into an empty folder
// outside the repository, used there through `npx vfio-fsm` and imported by a
// strict TypeScript file. Slow (a build, a pack, two compilations), so it
// runs under `npm run test:deep` (CI runs both suites) and is listed as
// skipped, with the reason, by `npm test`.
//
// No network: the tarball is built from a copy of the package's inputs (so
// the repository's own dist/ is neither used nor touched), then installed the
// way npm lays a package out (extracted into node_modules/vfio-fsm, its bin
// linked into node_modules/.bin), with its dependencies linked to this
// project's installed ones instead of fetched. What is exercised is the
// package's own: `files`, `bin`, `exports` and `types`, the declarations, and
// the specs found from the installed package rather than the current folder.
import { spawnSync } from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEEP } from '../support/depth.js';

const ROOT = process.cwd();
const MODULES = realpathSync(join(ROOT, 'node_modules'));
const SKIPPED = 'packs, installs and compiles the package (half a minute or more): runs under npm run test:deep';

let work = '';
let app = '';
let tarball = '';

function run(command: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  // npm's own messages off; no registry is asked anything (--offline on every npm call).
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', NO_COLOR: '1' };
  delete env['FORCE_COLOR'];
  return spawnSync(command, args, { cwd, encoding: 'utf8', env, timeout: 300_000 });
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** `npx vfio-fsm args...` in the app folder. */
function npx(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = run('npx', ['--offline', 'vfio-fsm', ...args], app);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!DEEP) return;
  work = mkdtempSync(join(tmpdir(), 'vfio-fsm-pack-'));
  // 1. The package's inputs, copied, and built with the real build script.
  const stage = join(work, 'stage');
  mkdirSync(stage);
  for (const f of ['package.json', 'README.md', 'LICENSE', 'tsconfig.json', 'tsconfig.build.json']) copyFileSync(join(ROOT, f), join(stage, f));
  // The build compiles test/bench too, which imports test/support: the whole test/ folder (a few MB) comes along.
  for (const d of ['src', 'spec', 'test']) cpSync(join(ROOT, d), join(stage, d), { recursive: true });
  symlinkSync(MODULES, join(stage, 'node_modules'));
  ok(run('npm', ['run', 'build', '--offline'], stage), 'npm run build');
  // 2. The tarball.
  const packs = join(work, 'packs');
  mkdirSync(packs);
  const name = ok(run('npm', ['pack', '--ignore-scripts', '--offline', '--pack-destination', packs], stage), 'npm pack').trim().split('\n').pop()!;
  tarball = join(packs, name);
  // 3. An empty folder elsewhere, with the package installed as npm lays it out.
  app = join(work, 'app');
  const installed = join(app, 'node_modules', 'vfio-fsm');
  mkdirSync(installed, { recursive: true });
  ok(run('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1'], app), 'tar');
  const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; bin: Record<string, string> };
  for (const dep of [...Object.keys(pkg.dependencies), '@types/node']) {
    mkdirSync(dirname(join(app, 'node_modules', dep)), { recursive: true });
    symlinkSync(join(MODULES, dep), join(app, 'node_modules', dep));
  }
  mkdirSync(join(app, 'node_modules', '.bin'));
  for (const [bin, file] of Object.entries(pkg.bin)) {
    chmodSync(join(installed, file), 0o755);
    symlinkSync(join('..', 'vfio-fsm', file), join(app, 'node_modules', '.bin', bin));
  }
  writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'app', private: true, type: 'module', dependencies: { 'vfio-fsm': `file:${tarball}` } }, null, 2)}\n`);
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('holds the built code with its declarations, the specs, README and LICENSE, and no sources', (ctx) => {
    if (!DEEP) return ctx.skip(SKIPPED);
    const files = ok(run('tar', ['-tzf', tarball], work), 'tar -t').trim().split('\n');
    const top = [...new Set(files.map((f) => f.split('/').slice(1, 3).join('/')))].sort();
    expect(top).toEqual(['LICENSE', 'README.md', 'dist/src', 'package.json', 'spec/examples', 'spec/history', 'spec/vfio-migration.fsm']);
    for (const f of ['dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/node/index.js', 'dist/src/node/index.d.ts', 'dist/src/cli/vfio-fsm.cjs', 'dist/src/cli/vfio-fsm.bundle.cjs', 'dist/src/cli/launch.json', 'dist/src/syntax/fsm.ohm.json', 'dist/src/kernel/c/c.ohm.json']) {
      expect(files, f).toContain(`package/${f}`);
    }
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });
});

describe('installed in an empty folder elsewhere', () => {
  it('npx vfio-fsm check: the bundled mainline spec, read from the package', (ctx) => {
    if (!DEEP) return ctx.skip(SKIPPED);
    const r = npx('check');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('node_modules/vfio-fsm/spec/vfio-migration.fsm: vfio_device_mig_state, 8 states, 3 flags, 18 arcs, lookup linux-7.2');
    expect(r.stdout).toContain('ok: every property holds for 8 flag sets');
  });

  it('npx vfio-fsm check linux-6.2: a bundled spec by name', (ctx) => {
    if (!DEEP) return ctx.skip(SKIPPED);
    const r = npx('check', 'linux-6.2');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('\nFAIL: 3 violations of termination');
  });

  it('npx vfio-fsm kernel <file> --spec linux-5.18', (ctx) => {
    if (!DEEP) return ctx.skip(SKIPPED);
    copyFileSync(join(ROOT, 'test/fixtures/kernel/linux-5.18.c'), join(app, 'vfio_main.c'));
    const r = npx('kernel', 'vfio_main.c', '--spec', 'linux-5.18');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('against node_modules/vfio-fsm/spec/history/linux-5.18.fsm');
    expect(r.stdout.trimEnd().endsWith('kernel and spec agree')).toBe(true);
  });

  it('npx vfio-fsm specs: every bundled spec with what it describes and its verdict', (ctx) => {
    if (!DEEP) return ctx.skip(SKIPPED);
    const r = npx('specs');
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n').slice(1, 8).map((l) => l.split(/\s{2,}/));
    expect(rows.map((row) => [row[0], row[2]])).toEqual([
      ['vfio-migration', 'all properties hold'],
      ['linux-6.2', 'fails: termination, 3 violations'],
      ['linux-5.18', 'all properties hold'],
      ['seed-v6', 'all properties hold'],
      ['v2-protocol', 'all properties hold'],
      ['post-copy', 'all properties hold'],
      ['post-copy-draft', 'fails: table, 6 violations; ambiguity, 3 violations'],
    ]);
  });

  it('explain, arcs, and gen with --out (gen without it is refused here)', (ctx) => {
    if (!DEEP) return ctx.skip(SKIPPED);
    expect(npx('explain', 'RUNNING', 'STOP', '--flags', 'P2P').code).toBe(0);
    expect(npx('arcs', 'linux-5.18').code).toBe(0);
    const refused = npx('gen');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('vfio-fsm gen: say where to write with --out DIR');
    expect(npx('gen', 'vfio-migration', '--out', 'generated').code).toBe(0);
    const checked = npx('gen', '--check', '--out', 'generated');
    expect(checked.code).toBe(0);
    expect(checked.stdout).toBe('7 generated files are up to date\n');
  });

  it('strict TypeScript files import the library, check a spec given as text, compile and run: the README\'s example prints what the README says', (ctx) => {
    if (!DEEP) return ctx.skip(SKIPPED);
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          noImplicitOverride: true,
          noPropertyAccessFromIndexSignature: true,
          // The package's declarations are checked too, not taken on trust.
          skipLibCheck: false,
          types: ['node'],
          outDir: 'out',
        },
        files: ['consumer.ts', 'readme-example.ts'],
      }),
    );
    writeFileSync(join(app, 'consumer.ts'), CONSUMER);
    // The README's library example, as written, with the two files it reads.
    writeFileSync(join(app, 'readme-example.ts'), readmeBlock('<!-- library example: ', '```ts'));
    copyFileSync(join(ROOT, 'spec/vfio-migration.fsm'), join(app, 'mine.fsm'));
    copyFileSync(join(ROOT, 'test/fixtures/kernel/linux-7.2.c'), join(app, 'vfio_main.c'));
    ok(run(process.execPath, [join(MODULES, 'typescript/bin/tsc'), '-p', '.'], app), 'tsc');
    const example = run(process.execPath, ['out/readme-example.js'], app);
    expect(example.stderr).toBe('');
    expect(example.status).toBe(0);
    expect(example.stdout).toBe(readmeBlock('<!-- library example output -->', '```text'));
    const r = run(process.execPath, ['out/consumer.js'], app);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: true,
      flagSets: 2,
      table: { IDLE: { IDLE: 'IDLE', BUSY: 'BUSY', ERROR: 'ERROR' }, BUSY: { IDLE: 'IDLE', BUSY: 'BUSY', ERROR: 'ERROR' }, ERROR: { IDLE: 'ERROR', BUSY: 'ERROR', ERROR: 'ERROR' } },
      typo: ['tiny.fsm:7:3: error VF030: unknown state `BUZY` (did you mean `BUSY`?)'],
      linux62: { ok: false, violations: 3 },
      bundled: 7,
    });
  });
});

/** The code block of the README that follows the line starting with `marker`, opening with `fence`. */
function readmeBlock(marker: string, fence: string): string {
  const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n');
  const at = lines.findIndex((l) => l.startsWith(marker));
  const open = lines.findIndex((l, i) => i > at && l === fence);
  const close = lines.findIndex((l, i) => i > open && l === '```');
  if (at < 0 || open < 0 || close < 0) throw new Error(`README.md has no ${fence} block after ${marker}`);
  return `${lines.slice(open + 1, close).join('\n')}\n`;
}

/** What a user's code might do: check a spec given as text, and read a bundled one. */
const CONSUMER = `import { check, deriveTable, formatDiagnostic, namedTable, specFromText } from 'vfio-fsm';
import type { CheckResult, Diagnostic, LoadedSpec } from 'vfio-fsm';
import { bundledSpecs, readSpec } from 'vfio-fsm/node';

const TINY = [
  'machine tiny',
  'flags { GO = 1 << 0 mandatory }',
  'states { ERROR = 0 sink; IDLE = 1 needs GO; BUSY = 2 needs GO }',
  'order IDLE, BUSY, ERROR',
  'arcs {',
  '  IDLE -> BUSY',
  '  BUSY -> IDLE',
  '}',
  'rule shortest',
  'lookup linux-7.2',
  '',
].join('\\n');

const spec: LoadedSpec = specFromText(TINY, 'tiny.fsm');
if (!spec.ok) throw new Error(spec.diagnostics.map((d: Diagnostic) => formatDiagnostic(d, spec.source)).join('\\n'));
const result: CheckResult = check(spec.model);

const typo = specFromText(TINY.replace('BUSY -> IDLE', 'BUZY -> IDLE'), 'tiny.fsm');
const linux62 = readSpec('linux-6.2');
const linux62Result = linux62.ok ? check(linux62.model) : undefined;

process.stdout.write(
  JSON.stringify({
    ok: result.ok,
    flagSets: result.flagSets.length,
    table: namedTable(spec.model, deriveTable(spec.model)),
    typo: typo.ok ? [] : typo.diagnostics.map((d) => formatDiagnostic(d, undefined)),
    linux62: { ok: linux62Result?.ok ?? null, violations: linux62Result?.violations.length ?? null },
    bundled: bundledSpecs().length,
  }),
);
`;
