// The built CLI as a user runs it: a separate node process on dist/, checked
// for exit codes, output streams and the absence of stack traces.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureBuilt, plainEnv, vfio } from '../support/built-cli.js';
import { BUNDLED_SPECS, ROOT, at, edit } from '../support/spec-text.js';

/** A JavaScript stack frame, as an uncaught error would print it. */
const STACK_FRAME = /^\s+at /m;
const ANSI = /\u001b\[/;

let dir = '';
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'vfio-fsm-cli-'));
}, 180_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function writeSpec(name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('vfio-fsm parse', () => {
  it.each(BUNDLED_SPECS)('accepts %s (exit 0, summary on stdout)', (path) => {
    const r = vfio(['parse', path]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')[0]).toBe(`${path}: machine vfio_device_mig_state`);
    expect(r.stdout).toMatch(/^ {2}lookup: {2}\S+$/m);
  });

  it('--json prints the validated model', () => {
    const r = vfio(['parse', 'spec/vfio-migration.fsm', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      ok: boolean;
      spec: string;
      diagnostics: unknown[];
      model: { machine: string; flags: { name: string; bit: number; mandatory: boolean }[]; states: { name: string }[]; order: string[]; lookup: { variant: string } };
    };
    expect(out.ok).toBe(true);
    expect(out.spec).toBe('spec/vfio-migration.fsm');
    expect(out.diagnostics).toEqual([]);
    expect(out.model.machine).toBe('vfio_device_mig_state');
    expect(out.model.flags).toEqual([
      { name: 'STOP_COPY', bit: 1, mandatory: true },
      { name: 'P2P', bit: 2, mandatory: false },
      { name: 'PRE_COPY', bit: 4, mandatory: false },
    ]);
    expect(out.model.states.map((s) => s.name)).toEqual(['ERROR', 'STOP', 'RUNNING', 'STOP_COPY', 'RESUMING', 'RUNNING_P2P', 'PRE_COPY', 'PRE_COPY_P2P']);
    expect(out.model.order).toEqual(['STOP', 'RUNNING', 'PRE_COPY', 'PRE_COPY_P2P', 'STOP_COPY', 'RESUMING', 'RUNNING_P2P', 'ERROR']);
    expect(out.model.lookup.variant).toBe('linux-7.2');
  });

  it('refuses a malformed spec with exit 2 and located diagnostics, all of them, and no stack trace', () => {
    const text = edit(['  RESUMING -> STOP\n', '  RESUMIN -> STOP\n'], ['lookup linux-7.2', 'lookup linux-7.3']);
    const path = writeSpec('two-mistakes.fsm', text);
    const r = vfio(['parse', path]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(STACK_FRAME);
    const heads = r.stderr.split('\n').filter((l) => /^\S+:\d+:\d+: error VF\d{3}: /.test(l));
    const unknown = at(text, 'RESUMIN -> STOP', 'RESUMIN');
    const lookup = at(text, 'linux-7.3');
    expect(heads).toEqual([
      `${path}:${unknown.line}:${unknown.column}: error VF030: unknown state \`RESUMIN\` (did you mean \`RESUMING\`?)`,
      `${path}:${lookup.line}:${lookup.column}: error VF070: unknown lookup \`linux-7.3\`: expected one of v2, seed-v6, linux-5.18, linux-7.2`,
    ]);
    // Each head is followed by its source line and a caret.
    expect(r.stderr).toContain(`${String(lookup.line).padStart(4)} | lookup linux-7.3\n     |        ^^^^^^^^^\n`);
  });

  it('refuses a syntax error with exit 2', () => {
    const text = edit(['  RESUMING -> STOP\n', '  RESUMING => STOP\n']);
    const path = writeSpec('syntax.fsm', text);
    const r = vfio(['parse', path]);
    const place = at(text, 'RESUMING => STOP', '=>');
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.stderr.split('\n')[0]).toBe(`${path}:${place.line}:${place.column}: error VF001: syntax error: expected "->" or "<->", found "="`);
  });

  it('--json prints the diagnostics of a malformed spec as JSON on stdout', () => {
    const text = edit(['lookup linux-7.2', 'lookup linux-7.3']);
    const path = writeSpec('bad-lookup.fsm', text);
    const r = vfio(['parse', path, '--json']);
    const place = at(text, 'linux-7.3');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      ok: false,
      spec: path,
      diagnostics: [
        {
          file: path,
          line: place.line,
          column: place.column,
          endLine: place.line,
          endColumn: place.column + 'linux-7.3'.length,
          severity: 'error',
          code: 'VF070',
          message: 'unknown lookup `linux-7.3`: expected one of v2, seed-v6, linux-5.18, linux-7.2',
        },
      ],
      diagnosticsOmitted: 0,
    });
  });
});

describe('inputs the CLI refuses (exit 2)', () => {
  /** Expects `parse path` to exit 2 with exactly `path:1:1: error code: message` and no stack trace. */
  function expectRefused(path: string, code: string, message: string): void {
    const r = vfio(['parse', path]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${path}:1:1: error ${code}: ${message}\n`);
  }

  it('VF090 a missing path', () => {
    expectRefused(join(dir, 'nowhere.fsm'), 'VF090', 'no such file');
  });

  it('VF091 a directory', () => {
    expectRefused(dir, 'VF091', 'is a directory, not a file');
  });

  it('VF092 a file over 1 MiB', () => {
    const size = 1024 * 1024 + 1;
    expectRefused(writeSpec('huge.fsm', `//${'x'.repeat(size - 3)}\n`), 'VF092', `is ${size} bytes, over the 1048576-byte limit for an input`);
  });

  it('VF093 a binary file', () => {
    expectRefused(writeSpec('binary.fsm', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00])), 'VF093', 'is a binary file (it contains NUL bytes)');
  });

  it('VF093 a file that is not UTF-8', () => {
    expectRefused(writeSpec('latin1.fsm', Buffer.from('machine caf\xe9\n', 'latin1')), 'VF093', 'is not UTF-8 text');
  });

  it('VF093 in JSON too', () => {
    const path = writeSpec('binary2.fsm', Buffer.from([0, 1, 2]));
    const r = vfio(['parse', path, '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, spec: path, diagnostics: [{ file: path, line: 1, column: 1, code: 'VF093' }] });
  });
});

describe('usage', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

  /** The commands `vfio-fsm --help` lists, so that a command added later is covered too. */
  function commands(): string[] {
    const help = vfio(['--help']).stdout;
    const section = help.slice(help.indexOf('Commands:'));
    return [...section.matchAll(/^ {2}([a-z][\w-]*)\b/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
  }

  it('--help exits 0 and lists the commands', () => {
    const r = vfio(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: vfio-fsm /);
    expect(commands()).toEqual(expect.arrayContaining(['parse', 'check']));
  });

  it('--help exits 0 on every command', () => {
    const listed = commands();
    expect(listed.length).toBeGreaterThanOrEqual(2);
    for (const command of listed) {
      const r = vfio([command, '--help']);
      expect(r.code, command).toBe(0);
      expect(r.stdout, command).toMatch(new RegExp(`^Usage: vfio-fsm ${command} `));
      expect(r.stderr, command).toBe('');
    }
  });

  it('--version prints the package version and exits 0', () => {
    const r = vfio(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('an unknown option exits 2 with a message, not a stack trace', () => {
    const r = vfio(['parse', 'spec/vfio-migration.fsm', '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("unknown option '--frobnicate'");
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  it('an unknown command exits 2', () => {
    const r = vfio(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  it('a missing argument exits 2', () => {
    const r = vfio(['parse']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("missing required argument 'spec'");
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });
});

describe('colour', () => {
  // Colour is only ever used on a terminal, so a pipe cannot tell whether
  // NO_COLOR is obeyed; script(1) runs the CLI on a pseudo-terminal.
  const hasScript = spawnSync('script', ['-qec', 'true', '/dev/null']).status === 0;

  function onTerminal(args: readonly string[], env: NodeJS.ProcessEnv): string {
    const command = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
    const r = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: ROOT, encoding: 'utf8', env: { ...plainEnv(), TERM: 'xterm', ...env } });
    return r.stdout;
  }

  it('never colours output that goes to a pipe', () => {
    const path = writeSpec('pipe.fsm', edit(['lookup linux-7.2', 'lookup linux-7.3']));
    const r = vfio(['parse', path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error VF070');
    expect(r.stderr).not.toMatch(ANSI);
  });

  it.skipIf(!hasScript)('colours diagnostics on a terminal, unless NO_COLOR is set', () => {
    const path = writeSpec('tty.fsm', edit(['lookup linux-7.2', 'lookup linux-7.3']));
    const coloured = onTerminal(['parse', path], {});
    expect(coloured).toContain('VF070');
    expect(coloured).toMatch(ANSI);
    const plain = onTerminal(['parse', path], { NO_COLOR: '1' });
    expect(plain).toContain('VF070');
    expect(plain).not.toMatch(ANSI);
  });
});
