// Fuzzing the command line: random argument vectors of commands, options,
// names, numbers and paths (specs, kernel fixtures, directories, files that
// do not exist), run in process through the real program. Every run must
// end with exit 0, 1, 2 or 3, print no stack trace and no internal error,
// and place each `file:line:col` diagnostic inside its file. Vectors that
// could write (`gen` without `--check`, `--out`) or read standard input
// (`-`) are not generated; `gen` only ever comes with an unknown option,
// which commander refuses before any work. 100,000 command lines under
// npm run test:deep, 3,000 by default. fast-check prints the seed of a
// failing run; VFIO_FSM_SEED replays it.
import { existsSync, readFileSync, statSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seed } from '../support/depth.js';
import { runCli } from '../support/run-cli.js';
import { CASE_LIMIT_MS, FUZZ_TIMEOUT_MS, fuzzRuns } from './kernel-fuzz-support.js';

const RUNS = fuzzRuns();

const COMMANDS = ['parse', 'check', 'kernel', 'explain', 'diff', 'arcs', 'help', 'gen', 'bogus', 'checks', ''];
const SPECS = ['spec/vfio-migration.fsm', 'spec/history/linux-6.2.fsm', 'spec/history/linux-5.18.fsm', 'spec/history/seed-v6.fsm', 'spec/history/v2-protocol.fsm', 'spec/examples/post-copy-draft.fsm', 'spec/examples/post-copy.fsm', 'test/fixtures/specs/typos.fsm'];
const KERNEL = [
  'test/fixtures/kernel/linux-7.2.c', 'test/fixtures/kernel/v2.c', 'test/fixtures/kernel/mutants/linux-6.2-endless-loop.c', 'test/fixtures/kernel/patches/flip-cell.diff',
  'test/fixtures/kernel/patches/truncated.diff', 'test/fixtures/kernel/verdicts/loop-fix.mbox', 'test/fixtures/kernel/verdicts/digit-cell.c', 'test/fixtures/kernel/uapi/vfio-7.2.h', 'test/fixtures/kernel/verdicts/empty.c',
];
const ELSEWHERE = ['nope.fsm', 'test/fixtures/none.c', 'spec', 'test', 'README.md', 'package.json', 'generated/vfio-migration.svg', '/nonexistent/x.fsm', '.', '..', ''];
const NAMES = ['STOP', 'RUNNING', 'PRE_COPY', 'PRE_COPY_P2P', 'STOP_COPY', 'RESUMING', 'RUNNING_P2P', 'ERROR', 'POST_COPY', 'stop', 'BOGUS', '0', '7'];
const FLAGS = ['P2P', 'PRE_COPY', 'STOP_COPY', 'P2P,PRE_COPY', 'STOP_COPY,P2P,PRE_COPY', 'NOPE', ',,', '', 'P2P,P2P', 'POST_COPY'];
const NUMBERS = ['0', '1', '3', '-1', '99999999999999999999', '1e3', 'NaN', 'x', ''];
const LONE_OPTIONS = ['--json', '--check', '--allow-behaviour-change', '--help', '-h', '--version', '-V', '--bogus', '-x', '--', '--json=1', '--flags'];

const path = fc.constantFrom(...SPECS, ...KERNEL, ...ELSEWHERE);
const word = fc.oneof(
  { weight: 4, arbitrary: path },
  { weight: 3, arbitrary: fc.constantFrom(...NAMES) },
  { weight: 3, arbitrary: fc.constantFrom(...LONE_OPTIONS) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('--spec', '--base', '--uapi'), path).map(([o, p]) => [o, p]) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('--flags'), fc.constantFrom(...FLAGS)).map(([o, f]) => [o, f]) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('--max-arcs'), fc.constantFrom(...NUMBERS)).map(([o, n]) => [o, n]) },
  { weight: 1, arbitrary: fc.constantFrom(...NUMBERS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);

const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(a, { nil: null });
const spec = fc.constantFrom(...SPECS);
const flags = opt(fc.constantFrom(...FLAGS).map((f) => ['--flags', f]));
const json = opt(fc.constant('--json'));

/** A command line a person might type: one command with its own arguments, some of them wrong. */
const plausible: fc.Arbitrary<(string | string[] | null)[]> = fc.oneof(
  fc.tuple(fc.constant('parse'), spec, json),
  fc.tuple(fc.constant('check'), opt(spec), json, flags),
  fc.tuple(fc.constant('kernel'), fc.constantFrom(...KERNEL), opt(spec.map((p) => ['--spec', p])), opt(fc.constantFrom(...KERNEL).map((p) => ['--base', p])), opt(fc.constantFrom(...KERNEL).map((p) => ['--uapi', p])), json),
  fc.tuple(fc.constant('explain'), fc.constantFrom(...NAMES), fc.constantFrom(...NAMES), opt(spec), flags, opt(fc.constantFrom(...NUMBERS).map((n) => ['--max-arcs', n])), json),
  fc.tuple(fc.constant('diff'), spec, spec, opt(fc.constant('--allow-behaviour-change')), json),
  fc.tuple(fc.constant('arcs'), opt(spec), flags, json),
);

const argv: fc.Arbitrary<string[]> = fc
  .oneof(
    fc.tuple(fc.constantFrom(...COMMANDS), fc.array(word, { maxLength: 5 })).map(([command, words]) => [command, ...words.flat()].filter((w, i) => i > 0 || w !== '')),
    plausible.map((parts) => parts.flatMap((p) => (p === null ? [] : p))),
  )
  // Never standard input, never a write: see the header.
  .map((args) => args.filter((a) => a !== '-' && a !== '--out' && !a.startsWith('--out=')))
  .map((args) => (args[0] === 'gen' ? [...args.filter((a) => a !== '--help' && a !== '-h'), '--bogus'] : args));

/** `file:line:col` of each diagnostic line in an output, for the files that exist. */
function checkPlaces(output: string): void {
  for (const m of output.matchAll(/^(.+?):(\d+):(\d+): (?:error|warning) VF\d{3}: /gm)) {
    const [, file, line, column] = m;
    if (!existsSync(file!) || !statSync(file!).isFile()) continue;
    const lines = readFileSync(file!, 'utf8').split('\n');
    expect(Number(line), `${m[0]}: the file has ${lines.length} lines`).toBeLessThanOrEqual(lines.length);
    expect(Number(column), m[0]).toBeLessThanOrEqual(lines[Number(line) - 1]!.length + 1);
  }
}

describe('fuzz: random command lines', () => {
  it(`ends every one of ${RUNS} command lines with 0, 1, 2 or 3, in words`, async () => {
    const codes = new Map<number, number>();
    let slowest = 0;
    await fc.assert(
      fc.asyncProperty(argv, async (args) => {
        const started = performance.now();
        // runCli fails the case on "internal error".
        const r = await runCli(args);
        const ms = performance.now() - started;
        slowest = Math.max(slowest, ms);
        expect(ms, `vfio-fsm ${args.join(' ')} took ${ms.toFixed(0)} ms`).toBeLessThan(CASE_LIMIT_MS);
        expect([0, 1, 2, 3]).toContain(r.code);
        for (const out of [r.stdout, r.stderr]) {
          expect(out).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
          expect(out).not.toMatch(/internal error|RangeError|TypeError|Maximum call stack/);
          checkPlaces(out);
        }
        codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
      }),
      { numRuns: RUNS, ...seed() },
    );
    // Random vectors mostly fail to parse; some must get through to the commands.
    expect((codes.get(0) ?? 0) + (codes.get(1) ?? 0)).toBeGreaterThan(RUNS / 50);
    console.log(`cli-argv fuzz: ${RUNS} command lines, slowest ${slowest.toFixed(0)} ms`, Object.fromEntries(codes));
  }, FUZZ_TIMEOUT_MS);
});
