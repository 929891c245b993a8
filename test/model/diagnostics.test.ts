// One test per diagnostic code of the front end (parse, validate, emit names,
// input reading), each on the mainline spec with one small edit, asserting the
// code, the exact line and column and the exact message. Then: several errors
// in one run, the text form with its caret, and the JSON form.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { diagnosticJson } from '../../src/cli/console.js';
import { MAX_INPUT_BYTES, readTextInput } from '../../src/node/read-input.js';
import { readSpec as readSpecRef } from '../../src/node/spec-files.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { formatDiagnostic } from '../../src/diagnostics/format.js';
import { SourceText } from '../../src/common/source.js';
import { flagSetLimitDiagnostic, flagSetRefusal } from '../../src/analysis/flag-space.js';
import { compileSpec } from '../../src/model/front-end.js';
import type { Place } from '../support/spec-text.js';
import { BUNDLED_SPECS, MAINLINE, ROOT, at, brief, compile, edit, endOf, readSpec } from '../support/spec-text.js';

/**
 * Compiles `text` and checks that it yields no model, that `code` is reported
 * at `place` with exactly `message`, and that the codes reported are exactly
 * `code` plus `others` (so that one mistake does not set off a cascade).
 */
function expectError(text: string, code: string, place: Place, message: string, others: readonly string[] = []): Diagnostic[] {
  const { model, diagnostics } = compile(text);
  expect(model).toBeUndefined();
  expect(diagnostics.map((d) => d.code).sort()).toEqual([code, ...others].sort());
  expect(diagnostics.map(brief)).toContainEqual({ code, ...place, message });
  for (const d of diagnostics) expect(d.severity).toBe('error');
  return [...diagnostics];
}

const LOOKUPS = 'v2, seed-v6, linux-5.18, linux-7.2';

describe('the bundled specs', () => {
  it.each(BUNDLED_SPECS)('%s validates without a diagnostic', (path) => {
    const { model, diagnostics } = compile(readSpec(path), path);
    expect(diagnostics).toEqual([]);
    expect(model?.file).toBe(path);
  });
});

describe('VF001 syntax errors', () => {
  it('names the expected tokens and what was found instead', () => {
    const text = edit(['  RESUMING -> STOP\n', '  RESUMING => STOP\n']);
    const [d] = expectError(text, 'VF001', at(text, 'RESUMING => STOP', '=>'), 'syntax error: expected "->" or "<->", found "="');
    // The caret covers the token found, not the rest of the line.
    expect(d!.endColumn - d!.column).toBe(1);
  });

  it('says "a statement" instead of listing every statement keyword', () => {
    const text = edit(['order STOP, RUNNING,', 'order STOP RUNNING,']);
    expectError(text, 'VF001', at(text, 'order STOP RUNNING', 'RUNNING'), 'syntax error: expected "," or a statement, found "RUNNING"');
  });

  it('shows an operator whole', () => {
    const text = edit(['  RUNNING <-> STOP                  when not P2P\n', '  RUNNING <-> STOP when not\n']);
    expectError(text, 'VF001', at(text, '  RUNNING <-> PRE_COPY', '<->'), 'syntax error: expected "}", a name, ",", ";" or "and", found "<->"');
  });

  it('reports the end of the file', () => {
    const text = edit(['lookup linux-7.2', 'lookup']);
    expectError(text, 'VF001', endOf(text), 'syntax error: expected a lookup name, found end of file');
  });

  it('says when a block comment is never closed', () => {
    const text = edit(['group saving', '/* the rest is off\ngroup saving']);
    expectError(text, 'VF001', at(text, '/* the rest'), 'syntax error: expected "," or a statement, found "/*", a comment that is never closed');
  });

  // (Characters up to the space are blanks to this grammar, so they never stop a parse.)
  it('escapes an invisible character instead of printing it raw', () => {
    const text = edit(['machine vfio_device_mig_state', 'machine vfio_device_mig_state \u007f']);
    expectError(text, 'VF001', at(text, '\u007f'), 'syntax error: expected a statement, found "\\u007f"');
  });

  it('escapes a lone surrogate', () => {
    const text = edit(['machine vfio_device_mig_state', 'machine vfio_device_mig_state \ud800']);
    expectError(text, 'VF001', at(text, '\ud800'), 'syntax error: expected a statement, found "\\ud800"');
  });
});

describe('statements', () => {
  it('VF002 a statement given twice', () => {
    const text = `${MAINLINE}lookup linux-5.18\n`;
    expectError(text, 'VF002', at(text, 'lookup linux-5.18'), `the lookup algorithm is given more than once; the first is at line ${at(text, 'lookup linux-7.2').line}`);
  });

  it('VF003 a missing statement, reported at the end of the file', () => {
    const text = edit(['lookup linux-7.2', '']);
    expectError(text, 'VF003', endOf(text), `the spec has no \`lookup\` statement: say which lookup reads the table: ${LOOKUPS}`);
  });

  it('VF003 a missing flags block does not also make every use of a flag unknown', () => {
    const text = edit(['flags {\n  STOP_COPY = 1 << 0  mandatory   // without it a device has no migration at all\n  P2P       = 1 << 1\n  PRE_COPY  = 1 << 2\n}\n', '']);
    expectError(text, 'VF003', endOf(text), 'the spec has no `flags` statement: declare the feature flags and their bits');
  });

  it('VF003 a missing states block does not also make every use of a state unknown', () => {
    const block = MAINLINE.slice(MAINLINE.indexOf('states {'), MAINLINE.indexOf('}', MAINLINE.indexOf('states {')) + 2);
    const text = edit([block, '']);
    expectError(text, 'VF003', endOf(text), 'the spec has no `states` statement: declare the states and their uapi values');
  });
});

describe('flags', () => {
  it('VF010 a flag declared twice', () => {
    const text = edit(['  PRE_COPY  = 1 << 2\n', '  PRE_COPY  = 1 << 2\n  P2P = 1 << 3\n']);
    expectError(text, 'VF010', at(text, 'P2P = 1 << 3', 'P2P'), `flag \`P2P\` is declared twice; the first is at line ${at(text, 'P2P       = 1 << 1').line}`);
  });

  it('VF011 two flags on one bit', () => {
    const text = edit(['PRE_COPY  = 1 << 2', 'PRE_COPY  = 1 << 1']);
    expectError(text, 'VF011', at(text, 'PRE_COPY  = 1 << 1', '1 << 1'), 'flag `PRE_COPY` uses bit 1, already taken by `P2P`');
  });

  it('VF012 a flag value that is not one bit', () => {
    const text = edit(['P2P       = 1 << 1', 'P2P       = 0x6']);
    expectError(text, 'VF012', at(text, '0x6'), 'flag `P2P` must be a single bit of a 32-bit word (1 << 0 to 1 << 31), not 6');
  });

  it('VF012 a bit outside the 32-bit flags word', () => {
    const text = edit(['P2P       = 1 << 1', 'P2P       = 1 << 32']);
    expectError(text, 'VF012', at(text, '1 << 32'), 'flag `P2P` must be a single bit of a 32-bit word (1 << 0 to 1 << 31), not 4294967296');
  });

  it('VF012 a huge shift is shown as written', () => {
    const text = edit(['P2P       = 1 << 1', 'P2P       = 1 << 4000']);
    expectError(text, 'VF012', at(text, '1 << 4000'), 'flag `P2P` must be a single bit of a 32-bit word (1 << 0 to 1 << 31), not 1 << 4000');
  });

  it('VF013 no mandatory flag', () => {
    const text = edit(['STOP_COPY = 1 << 0  mandatory', 'STOP_COPY = 1 << 0']);
    expectError(text, 'VF013', at(text, 'flags {', 'flags'), 'no flag is marked `mandatory`: mark the one without which a device has no migration');
  });

  it('VF014 a second mandatory flag', () => {
    const text = edit(['P2P       = 1 << 1', 'P2P       = 1 << 1  mandatory']);
    expectError(text, 'VF014', at(text, '1 << 1  mandatory', 'mandatory'), 'only one flag can be mandatory; `STOP_COPY` already is');
  });
});

describe('states', () => {
  it('VF020 a state declared twice', () => {
    const text = edit(['  PRE_COPY_P2P = 7  needs STOP_COPY, P2P, PRE_COPY\n', '  PRE_COPY_P2P = 7  needs STOP_COPY, P2P, PRE_COPY\n  STOP = 8 needs STOP_COPY\n']);
    expectError(text, 'VF020', at(text, 'STOP = 8', 'STOP'), `state \`STOP\` is declared twice; the first is at line ${at(text, '  STOP         = 1').line}`);
  });

  it('VF021 two states with one value (uses of the second are not also unknown)', () => {
    const text = edit(['RESUMING     = 4', 'RESUMING     = 3']);
    expectError(text, 'VF021', at(text, 'RESUMING     = 3', '3'), 'state `RESUMING` has value 3, already taken by `STOP_COPY`', ['VF028']);
  });

  it('VF022 a state value outside the u8 table cells', () => {
    const text = edit(['PRE_COPY_P2P = 7', 'PRE_COPY_P2P = 0x100']);
    expectError(text, 'VF022', at(text, '0x100'), "state `PRE_COPY_P2P` has value 256, outside the table's u8 cells (0 to 255)");
  });

  it('VF023 no sink', () => {
    const text = edit(['ERROR        = 0  sink', 'ERROR        = 0']);
    expectError(text, 'VF023', at(text, 'states {', 'states'), 'no state is marked `sink`: the FSM needs its ERROR state');
  });

  it('VF024 a state marked sink twice', () => {
    const text = edit(['ERROR        = 0  sink', 'ERROR        = 0  sink sink']);
    // The second `sink` is the one followed by the line's original padding.
    expectError(text, 'VF024', at(text, 'sink          //', 'sink'), 'state `ERROR` is marked `sink` twice');
  });

  it('VF024 a second sink (its arcs then leave and enter a sink)', () => {
    const text = edit(['RESUMING     = 4  needs STOP_COPY', 'RESUMING     = 4  sink']);
    expectError(text, 'VF024', at(text, 'RESUMING     = 4  sink', 'sink'), 'only one state can be the sink; `ERROR` already is', ['VF041', 'VF042']);
  });

  it('VF025 the sink needs a flag', () => {
    const text = edit(['ERROR        = 0  sink', 'ERROR        = 0  sink needs P2P']);
    expectError(text, 'VF025', at(text, 'sink needs P2P', 'P2P'), 'the sink `ERROR` exists on every device; it cannot need flags');
  });

  it('VF026 an unknown flag, with a suggestion', () => {
    const text = edit(['RUNNING <-> RUNNING_P2P           when P2P', 'RUNNING <-> RUNNING_P2P           when P2Q']);
    expectError(text, 'VF026', at(text, 'when P2Q', 'P2Q'), 'unknown flag `P2Q` (did you mean `P2P`?)');
  });

  it('VF026 a misspelt mandatory flag in `needs` is not also reported as missing', () => {
    const text = edit(['RESUMING     = 4  needs STOP_COPY', 'RESUMING     = 4  needs STOP_CPY']);
    expectError(text, 'VF026', at(text, 'STOP_CPY'), 'unknown flag `STOP_CPY` (did you mean `STOP_COPY`?)');
  });

  it('VF027 a state that does not need the mandatory flag', () => {
    const text = edit(['RESUMING     = 4  needs STOP_COPY', 'RESUMING     = 4']);
    expectError(
      text,
      'VF027',
      at(text, 'RESUMING     = 4', 'RESUMING'),
      'state `RESUMING` must need the mandatory flag `STOP_COPY`: without it a device has no migration states',
    );
  });

  it('VF028 a gap in the state values', () => {
    const text = edit(['PRE_COPY_P2P = 7', 'PRE_COPY_P2P = 8']);
    expectError(text, 'VF028', at(text, 'PRE_COPY_P2P = 8', '8'), 'state values must run from 0 without gaps, as the table is indexed by them; value 7 is missing');
  });
});

describe('order', () => {
  it('VF030 an unknown state, with a suggestion', () => {
    const text = edit(['  RESUMING -> STOP\n', '  RESUMIN -> STOP\n']);
    expectError(text, 'VF030', at(text, 'RESUMIN -> STOP', 'RESUMIN'), 'unknown state `RESUMIN` (did you mean `RESUMING`?)');
  });

  it('VF031 a state listed twice in the order', () => {
    const text = edit(['order STOP, RUNNING,', 'order STOP, STOP, RUNNING,']);
    expectError(text, 'VF031', at(text, 'STOP, STOP, RUNNING', 'STOP, RUNNING'), '`STOP` appears twice in the order');
  });

  it('VF032 a state missing from the order', () => {
    const text = edit([', RUNNING_P2P, ERROR', ', RUNNING_P2P']);
    expectError(text, 'VF032', at(text, 'order STOP', 'order'), 'the order misses `ERROR`: every state needs its row and column');
  });
});

describe('arcs', () => {
  it("VF040 a condition that excludes a flag one of the arc's states needs", () => {
    const text = edit(['RUNNING_P2P <-> STOP              when P2P', 'RUNNING_P2P <-> STOP              when not P2P']);
    expectError(
      text,
      'VF040',
      at(text, 'RUNNING_P2P <-> STOP              when not P2P', 'not P2P'),
      'the arc RUNNING_P2P <-> STOP can never be taken: `not P2P` excludes it, but `RUNNING_P2P` exists only with `P2P`',
    );
  });

  it('VF040 a condition that contradicts itself', () => {
    const text = edit(['  RESUMING -> STOP\n', '  RESUMING -> STOP when P2P and not P2P\n']);
    expectError(
      text,
      'VF040',
      at(text, 'when P2P and not P2P', 'not P2P'),
      'the arc RESUMING -> STOP can never be taken: `not P2P` excludes it, but the condition also requires `P2P`',
    );
  });

  it('VF041 an arc out of the sink', () => {
    const text = edit(['  RESUMING -> STOP\n', '  RESUMING -> STOP\n  ERROR -> STOP\n']);
    expectError(text, 'VF041', at(text, 'ERROR -> STOP', 'ERROR'), 'no arc may leave the sink `ERROR`: only a device reset does');
  });

  it('VF042 an arc into the sink', () => {
    const text = edit(['  RESUMING -> STOP\n', '  RESUMING -> STOP\n  STOP -> ERROR when P2P\n']);
    expectError(text, 'VF042', at(text, 'STOP -> ERROR', 'ERROR'), 'no arc may lead into the sink `ERROR`: a driver lands there only by failing');
  });

  it('VF043 an arc declared twice with the same condition', () => {
    const text = edit(['  RESUMING -> STOP\n', '  RESUMING -> STOP\n  RESUMING  ->  STOP\n']);
    expectError(
      text,
      'VF043',
      at(text, 'RESUMING  ->  STOP'),
      `the arc RESUMING -> STOP is declared twice with the same condition; the first is at line ${at(text, '  RESUMING -> STOP\n').line}`,
    );
  });

  it('VF044 an arc from a state to itself', () => {
    const text = edit(['  STOP -> RESUMING\n', '  STOP -> STOP\n']);
    expectError(text, 'VF044', at(text, '  STOP -> STOP\n', 'STOP -> STOP'), 'an arc from `STOP` to itself is not a transition');
  });
});

describe('blocked requests', () => {
  it('VF050 a blocked request that is also an arc', () => {
    const text = edit(['block STOP_COPY -> PRE_COPY,', 'block STOP -> RESUMING, STOP_COPY -> PRE_COPY,']);
    expectError(
      text,
      'VF050',
      at(text, 'block STOP -> RESUMING', 'STOP -> RESUMING'),
      `STOP -> RESUMING is both blocked and declared as an arc at line ${at(text, '  STOP -> RESUMING\n').line}`,
    );
  });

  it('VF051 a request blocked twice', () => {
    const text = edit(['STOP_COPY -> PRE_COPY_P2P\n', 'STOP_COPY -> PRE_COPY_P2P, STOP_COPY -> PRE_COPY\n']);
    expectError(text, 'VF051', at(text, 'PRE_COPY_P2P, STOP_COPY -> PRE_COPY', 'STOP_COPY -> PRE_COPY'), 'STOP_COPY -> PRE_COPY is blocked twice');
  });

  it('VF052 blocking a request that involves the sink', () => {
    const text = edit(['STOP_COPY -> PRE_COPY_P2P\n', 'STOP_COPY -> PRE_COPY_P2P, STOP -> ERROR\n']);
    expectError(
      text,
      'VF052',
      at(text, 'STOP -> ERROR'),
      'blocking STOP -> ERROR says nothing: requests to itself or involving the sink are never transitions',
    );
  });
});

describe('groups and rules', () => {
  it('VF060 a group declared twice', () => {
    const text = edit(['group saving = PRE_COPY, PRE_COPY_P2P, STOP_COPY\n', 'group saving = PRE_COPY, PRE_COPY_P2P, STOP_COPY\ngroup saving = STOP\n']);
    expectError(
      text,
      'VF060',
      at(text, 'group saving = STOP', 'saving'),
      `group \`saving\` is declared twice; the first is at line ${at(text, 'group saving = PRE_COPY').line}`,
    );
  });

  it('VF061 a state listed twice in a group', () => {
    const text = edit(['PRE_COPY_P2P, STOP_COPY\n', 'PRE_COPY_P2P, STOP_COPY, STOP_COPY\n']);
    expectError(text, 'VF061', at(text, 'STOP_COPY, STOP_COPY\n', 'STOP_COPY\n'), '`STOP_COPY` is listed twice in group `saving`');
  });

  it('VF062 a rule on an unknown group, with a suggestion', () => {
    const text = edit(['interior saving only-within', 'interior savings only-within']);
    expectError(text, 'VF062', at(text, 'savings'), 'unknown group `savings` (did you mean `saving`?)');
  });

  it('VF063 a rule without `shortest`, reported at the rule', () => {
    const text = edit(['rule shortest; interior', 'rule interior']);
    expectError(
      text,
      'VF063',
      at(text, 'rule interior', 'rule'),
      'the spec selects no path: add `shortest` to this rule (paths are the shortest that obey the interior rules)',
    );
  });

  it('VF063 no rule at all, reported at the end of the file', () => {
    const text = edit(['rule shortest; interior saving only-within\n', '']);
    expectError(text, 'VF063', endOf(text), 'the spec selects no path: add `rule shortest` (paths are the shortest that obey the interior rules)');
  });

  it('VF064 two interior rules for one group', () => {
    const text = edit(['interior saving only-within', 'interior saving only-within; interior saving never']);
    expectError(text, 'VF064', at(text, 'interior saving never'), 'group `saving` already has an interior rule');
  });
});

describe('lookup and emitted names', () => {
  it('VF070 an unknown lookup', () => {
    const text = edit(['lookup linux-7.2', 'lookup linux-7.3']);
    expectError(text, 'VF070', at(text, 'linux-7.3'), `unknown lookup \`linux-7.3\`: expected one of ${LOOKUPS}`);
  });

  it('VF080 an unknown emit target', () => {
    const text = edit(['emit ts {', 'emit rust {']);
    expectError(text, 'VF080', at(text, 'rust'), 'unknown emit target `rust`: expected c or ts');
  });

  it('VF081 an unknown setting', () => {
    const text = edit(['flag-type     MigFlag', 'flag-kind     MigFlag']);
    expectError(text, 'VF081', at(text, 'flag-kind'), 'unknown ts setting `flag-kind`: expected one of state-type, flag-type');
  });

  it('VF082 a TypeScript reserved word as a type name', () => {
    const text = edit(['state-type    MigState', 'state-type    string']);
    expectError(text, 'VF082', at(text, 'state-type    string', 'string'), '`string` is a reserved word in TypeScript and cannot name a type');
  });

  it('VF083 a setting given twice', () => {
    const text = edit(['  table         vfio_from_fsm_table\n', '  table         vfio_from_fsm_table\n  table         other_vfio_fsm\n']);
    expectError(text, 'VF083', at(text, 'table         other_vfio_fsm', 'table'), 'c setting `table` is given twice');
  });
});

describe('reading an input (VF090-VF094)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vfio-fsm-read-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Reads `path`, expecting a refusal with `code` at 1:1 whose message is `message`. */
  function expectRefused(path: string, code: string, message: string): void {
    const read = readTextInput(path);
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.diagnostic).toMatchObject({ code, severity: 'error', file: path, line: 1, column: 1, message });
  }

  it('reads a spec, dropping a byte-order mark', () => {
    const path = join(dir, 'ok.fsm');
    writeFileSync(path, `\uFEFF${MAINLINE}`);
    const read = readTextInput(path);
    expect(read.ok && read.source.text).toBe(MAINLINE);
  });

  it('VF090 a missing path', () => {
    expectRefused(join(dir, 'missing.fsm'), 'VF090', 'no such file');
  });

  it('VF091 a directory', () => {
    expectRefused(dir, 'VF091', 'is a directory, not a file');
  });

  it('VF092 a file over 1 MiB', () => {
    const path = join(dir, 'big.fsm');
    writeFileSync(path, `// ${'x'.repeat(MAX_INPUT_BYTES)}\n`);
    expectRefused(path, 'VF092', `is ${MAX_INPUT_BYTES + 4} bytes, over the ${MAX_INPUT_BYTES}-byte limit for an input`);
  });

  it('VF093 a binary file', () => {
    const path = join(dir, 'binary.fsm');
    writeFileSync(path, Buffer.from([0x6d, 0x61, 0x00, 0x01, 0x02]));
    expectRefused(path, 'VF093', 'is a binary file (it contains NUL bytes)');
  });

  it('VF093 a file that is not UTF-8', () => {
    const path = join(dir, 'latin1.fsm');
    writeFileSync(path, Buffer.from('machine caf\xe9\n', 'latin1'));
    expectRefused(path, 'VF093', 'is not UTF-8 text');
  });

  it('VF094 something that is not a regular file', () => {
    expectRefused('/dev/null', 'VF094', 'is not a regular file');
  });

  it('VF095 a name that is not a bundled spec', () => {
    const read = readSpecRef('vfio-migratoin');
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.diagnostics).toEqual([
      expect.objectContaining({
        code: 'VF095',
        severity: 'error',
        file: 'vfio-migratoin',
        line: 1,
        column: 1,
        message:
          'no bundled spec is named `vfio-migratoin` (bundled: vfio-migration, linux-6.2, linux-5.18, seed-v6, v2-protocol, post-copy, post-copy-draft); a file is named by a path with a slash or ending in .fsm, e.g. ./vfio-migratoin',
      }),
    ]);
  });

  // Root reads any file whatever its mode, so the refusal can only be seen as another user.
  it.skipIf(process.getuid?.() === 0)('VF094 a file without read permission', () => {
    const path = join(dir, 'locked.fsm');
    writeFileSync(path, MAINLINE);
    chmodSync(path, 0o000);
    expectRefused(path, 'VF094', 'permission denied');
  });
});

describe('limits of the checker', () => {
  it('VF100 more flag sets to check than the limit, reported at the flags block', () => {
    const text = edit(['  PRE_COPY  = 1 << 2\n', '  PRE_COPY  = 1 << 2\n  SPARE     = 1 << 9\n']);
    const source = new SourceText('spec/many.fsm', text);
    const { model } = compileSpec(source);
    const refusal = flagSetRefusal(model!, 4);
    expect(refusal).toBeDefined();
    const d = flagSetLimitDiagnostic(source, model!, refusal!);
    expect(brief(d)).toEqual({
      code: 'VF100',
      ...at(text, 'flags {', 'flags'),
      message:
        '3 flags are mentioned by states, arcs or the lookup (1 more is mentioned by nothing and is set aside by symmetry): that is 2^3 = 8 flag sets to check one by one, over the limit of 4; raise it with --max-flag-sets (at most 2,097,152) or split the spec',
    });
    expect(d.severity).toBe('error');
    expect(d.endColumn - d.column).toBe('flags'.length);
    expect(flagSetRefusal(model!, 8)).toBeUndefined();
  });
});

describe('coverage', () => {
  it('every code the front end can emit has a test above', () => {
    const emitted = new Set<string>();
    for (const file of ['src/syntax/parse.ts', 'src/model/validate.ts', 'src/model/emit-names.ts', 'src/node/read-input.ts', 'src/node/spec-files.ts', 'src/analysis/flag-space.ts']) {
      for (const m of readFileSync(`${ROOT}${file}`, 'utf8').matchAll(/'(VF\d{3})'/g)) emitted.add(m[1]!);
    }
    const tested = new Set([...readFileSync(fileURLToPath(import.meta.url), 'utf8').matchAll(/(?:it|describe)(?:\.skipIf\([^)]*\))?\('(VF\d{3})/g)].map((m) => m[1]!));
    expect(emitted.size).toBeGreaterThanOrEqual(15);
    expect([...emitted].filter((c) => !tested.has(c)).sort()).toEqual([]);
  });
});

describe('reporting', () => {
  it('reports every mistake of one run, in file order', () => {
    const text = edit(
      ['PRE_COPY  = 1 << 2', 'PRE_COPY  = 1 << 1'],
      ['state-type    MigState', 'state-type    string'],
      ['  RESUMING -> STOP\n', '  RESUMIN -> STOP\n'],
      ['lookup linux-7.2', 'lookup linux-7.3'],
    );
    const { model, diagnostics } = compile(text);
    expect(model).toBeUndefined();
    expect(diagnostics.map(brief)).toEqual([
      { code: 'VF082', ...at(text, 'string'), message: '`string` is a reserved word in TypeScript and cannot name a type' },
      { code: 'VF011', ...at(text, 'PRE_COPY  = 1 << 1', '1 << 1'), message: 'flag `PRE_COPY` uses bit 1, already taken by `P2P`' },
      { code: 'VF030', ...at(text, 'RESUMIN -> STOP', 'RESUMIN'), message: 'unknown state `RESUMIN` (did you mean `RESUMING`?)' },
      { code: 'VF070', ...at(text, 'linux-7.3'), message: `unknown lookup \`linux-7.3\`: expected one of ${LOOKUPS}` },
    ]);
  });

  it('prints path:line:col, the code and message, the source line and a caret under the span', () => {
    const text = [
      '// A tiny spec with one mistake.',
      'machine tiny',
      'flags { F = 1 << 0 mandatory }',
      'states { E = 0 sink; IDLE = 1 needs F; BUSY = 2 needs F }',
      'order IDLE, BUSY, E',
      'arcs {',
      '\tIDLE -> BUZY',
      '}',
      'rule shortest',
      'lookup linux-7.2',
      '',
    ].join('\n');
    const source = new SourceText('tiny.fsm', text);
    const { diagnostics } = compile(text, 'tiny.fsm');
    expect(diagnostics.map((d) => formatDiagnostic(d, source))).toEqual([
      [
        'tiny.fsm:7:10: error VF030: unknown state `BUZY` (did you mean `BUSY`?)',
        '   7 |  IDLE -> BUZY',
        '     |          ^^^^',
      ].join('\n'),
    ]);
  });

  it('prints a refused input without a source line', () => {
    const read = readTextInput('/nonexistent/spec.fsm');
    expect(read.ok).toBe(false);
    if (!read.ok) expect(formatDiagnostic(read.diagnostic, undefined)).toBe('/nonexistent/spec.fsm:1:1: error VF090: no such file');
  });

  it('gives the same fields in JSON as in the text form', () => {
    const text = edit(['lookup linux-7.2', 'lookup linux-7.3']);
    const [d] = compile(text, 'spec/bad.fsm').diagnostics;
    const place = at(text, 'linux-7.3');
    expect(JSON.parse(JSON.stringify(diagnosticJson(d!)))).toEqual({
      file: 'spec/bad.fsm',
      line: place.line,
      column: place.column,
      endLine: place.line,
      endColumn: place.column + 'linux-7.3'.length,
      severity: 'error',
      code: 'VF070',
      message: `unknown lookup \`linux-7.3\`: expected one of ${LOOKUPS}`,
    });
  });
});
