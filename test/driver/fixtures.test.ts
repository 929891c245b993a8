// The acceptance tests of `vfio-fsm driver` (issue 12): every entry of
// test/fixtures/drivers/expected.json is run through the real program with
// --json, and everything the entry states must be what the command prints:
// the function found, its file and line, every handled arc with its line, the
// flag sets with their missing and extra arcs and the notes on the extras,
// the fallback, the undecided lines, the set-state loop, the verdict and the
// exit code. The command's JSON nests the per-function fields under
// `functions` (the shape the issue gives); the harness maps the flat fields
// of expected.json onto it, as the fixtures' README allows.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { runCli } from '../support/run-cli.js';

interface Entry {
  readonly files: string[];
  readonly args: string[];
  readonly function: string;
  readonly functionFile: string;
  readonly functionLine: number;
  readonly handled: { from: string; to: string; line: number }[];
  readonly flagSets: { flags: string[]; missing: string[]; extra: string[]; extraNotes: Record<string, string> }[];
  readonly fallback: string;
  readonly undecided: { line: number }[];
  readonly loop: { file: string; function: string; line: number } | null;
  readonly verdict: string;
  readonly exit: number;
  readonly spec: string;
}

interface Json {
  verdict: string;
  spec: string;
  files: string[];
  functions: {
    name: string;
    file: string;
    line: number;
    handled: { from: string; to: string; line: number }[];
    flagSets: { flags: string[]; required: string[]; missing: string[]; extra: string[]; extraNotes: Record<string, string> }[];
    fallback: string;
    undecided: { line: number; text: string; reason: string }[];
    loop: { file: string; function: string; line: number; problems: string[] } | null;
    verdict: string;
  }[];
  warnings: { code: string }[];
}

const raw = JSON.parse(readFileSync('test/fixtures/drivers/expected.json', 'utf8')) as Record<string, unknown>;
const entries = Object.entries(raw).filter(([k]) => !k.startsWith('$')) as [string, Entry][];

const args = (e: Entry): string[] => ['driver', ...e.files, ...e.args, '--spec', e.spec];

describe('vfio-fsm driver on every fixture, against expected.json', () => {
  test('there is an entry for every kind the README lists', () => {
    expect(entries.length).toBeGreaterThanOrEqual(30);
  });

  test.each(entries)('%s', async (_key, e) => {
    const r = await runCli([...args(e), '--json']);
    expect(r.code).toBe(e.exit);
    const out = JSON.parse(r.stdout) as Json;
    expect(out.verdict).toBe(e.verdict);
    expect(out.spec).toBe(e.spec);
    expect(out.files).toEqual(e.files);
    expect(out.functions).toHaveLength(1);
    const f = out.functions[0]!;
    expect({ name: f.name, file: f.file, line: f.line }).toEqual({ name: e.function, file: e.functionFile, line: e.functionLine });
    expect(f.handled).toEqual(e.handled);
    expect(f.flagSets.map((s) => ({ flags: s.flags, missing: s.missing, extra: s.extra, extraNotes: s.extraNotes }))).toEqual(e.flagSets);
    expect(f.fallback).toBe(e.fallback);
    expect(f.undecided.map((u) => ({ line: u.line }))).toEqual(e.undecided);
    expect(f.loop && { file: f.loop.file, function: f.loop.function, line: f.loop.line }).toEqual(e.loop);
    // Every loop of the fixtures is correct (their README says so).
    expect(f.loop?.problems ?? []).toEqual([]);
    expect(f.verdict).toBe(e.verdict);
    // Each flag set's required arcs are missing plus the handled ones they require.
    const handled = new Set(f.handled.map((a) => `${a.from} -> ${a.to}`));
    for (const s of f.flagSets) expect(s.required.filter((a) => !handled.has(a))).toEqual(s.missing);
  });

  test.each(entries)('%s: the text report exits the same and names what the JSON names', async (_key, e) => {
    const r = await runCli(args(e));
    expect(r.code).toBe(e.exit);
    expect(r.stdout).toContain(`${e.function}() in ${e.functionFile} (line ${e.functionLine}) against ${e.spec}`);
    for (const a of e.handled) expect(r.stdout).toMatch(new RegExp(`\\n  ${a.from} -> ${a.to} +line ${a.line}\\n`));
    for (const s of e.flagSets) for (const m of s.missing) expect(r.stdout).toContain(`\n      ${m}\n`);
    for (const u of e.undecided) expect(r.stdout).toContain(`\n  line ${u.line}: `);
    const last = r.stdout.trimEnd().split('\n').pop()!;
    expect(last).toMatch({ conform: /^driver and spec agree/, missing: /^driver and spec disagree/, undecided: /^inconclusive/ }[e.verdict]!);
  });
});

describe('the shapes the issue names, on the fixtures', () => {
  const json = async (...a: string[]): Promise<Json> => JSON.parse((await runCli(['driver', ...a, '--json'])).stdout) as Json;

  test('a capability-guarded PRE_COPY gives two flag sets, each judged; the PRE_COPY arcs are extra under the smaller one only', async () => {
    const out = await json('test/fixtures/drivers/cap-pre-copy.c');
    const [small, big] = out.functions[0]!.flagSets;
    expect(small!.flags).toEqual(['STOP_COPY', 'P2P']);
    expect(big!.flags).toEqual(['STOP_COPY', 'P2P', 'PRE_COPY']);
    expect(small!.required).toHaveLength(8);
    expect(big!.required).toHaveLength(15);
    expect(Object.values(small!.extraNotes)).toEqual(Array(7).fill('reachable only with PRE_COPY'));
    expect(big!.extra).toEqual([]);
    const text = (await runCli(['driver', 'test/fixtures/drivers/cap-pre-copy.c'])).stdout;
    expect(text).toContain('  {STOP_COPY, P2P}  (set at line 206)\n');
    expect(text).toContain('  {STOP_COPY, P2P, PRE_COPY}  (set at lines 206 and 213)\n');
    expect(text).toContain('      RUNNING -> PRE_COPY (line 119): reachable only with PRE_COPY\n');
  });

  test('an undecidable condition is reported with its line, its text and why; nothing is guessed', async () => {
    const call = await json('test/fixtures/drivers/undecided-call.c');
    expect(call.functions[0]!.undecided).toEqual([{ line: 46, text: 'cur == VFIO_DEVICE_STATE_STOP && lapwing_fw_takes_image(lvf->isp, new)', reason: 'it calls `lapwing_fw_takes_image()` with `new`' }]);
    const variable = await json('test/fixtures/drivers/undecided-variable.c');
    expect(variable.functions[0]!.undecided).toEqual([{ line: 33, text: 'cur == VFIO_DEVICE_STATE_RUNNING && next == svf->quiesce_state', reason: 'it compares `next` with `svf->quiesce_state`, not with a state constant' }]);
  });

  test('an arc tested twice is handled twice, with a warning at the test never reached', async () => {
    const r = await runCli(['driver', 'test/fixtures/drivers/mutant-swapped.c']);
    expect(r.stderr).toContain('test/fixtures/drivers/mutant-swapped.c:124:7: warning VF409: STOP_COPY -> STOP is already selected at line 104: this test is never reached for it');
    const out = await json('test/fixtures/drivers/mutant-swapped.c');
    expect(out.warnings.map((w) => w.code)).toEqual(['VF409']);
  });

  test('without --function, a helper that takes both states as parameters is noted, not checked', async () => {
    const r = await runCli(['driver', 'test/fixtures/drivers/two-functions.c', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Json & { notes: string[] };
    expect(out.functions.map((f) => f.name)).toEqual(['curlew_vf_step_locked']);
    expect(out.notes).toEqual(['curlew_arc_in_fw() (test/fixtures/drivers/two-functions.c:17) tests pairs of states, but takes the current state as a parameter: not taken as a step function (name it with --function to check it)']);
  });

  test('--function names the helper instead: its two parameters are read by position, and it misses arcs', async () => {
    const r = await runCli(['driver', 'test/fixtures/drivers/two-functions.c', '--function', 'curlew_arc_in_fw', '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as Json & { notes: string[] };
    expect(out.functions[0]!.handled).toEqual([
      { from: 'RUNNING', to: 'STOP', line: 19 },
      { from: 'RESUMING', to: 'STOP', line: 21 },
    ]);
    expect(out.functions[0]!.fallback).toBe('none');
    expect(out.notes).toEqual(['curlew_arc_in_fw() takes both states as parameters: `cur` is read as the current state, `new` as the requested one']);
  });

  test('the step function alone, without the file that sets the flags and without --flags, is a located usage error', async () => {
    const r = await runCli(['driver', 'test/fixtures/drivers/split/lm.c']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^test\/fixtures\/drivers\/split\/lm\.c:1:1: error VF405: no assignment to migration_flags in test\/fixtures\/drivers\/split\/lm\.c: give the file that sets it, or the flags with --flags\n/);
  });

  test('--flags without the mandatory flag adds it, with a note', async () => {
    const r = await runCli(['driver', 'test/fixtures/drivers/split/lm.c', '--flags', 'P2P', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Json & { notes: string[] };
    expect(out.functions[0]!.flagSets.map((s) => s.flags)).toEqual([['STOP_COPY', 'P2P']]);
    expect(out.notes[0]).toMatch(/^STOP_COPY is mandatory/);
  });

  test('--flags over files that also set the flags: the option wins, with a note', async () => {
    const out = (await json('test/fixtures/drivers/conform-p2p.c', '--flags', 'STOP_COPY')) as Json & { notes: string[] };
    expect(out.functions[0]!.flagSets.map((s) => s.flags)).toEqual([['STOP_COPY']]);
    expect(out.notes).toEqual(['--flags {STOP_COPY} is used; the assignments to migration_flags in heron_init_device() are not read']);
  });
});
