import { readFileSync } from 'node:fs';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { BUNDLED_SPECS } from '../../src/node/bundled-specs.js';
import type { Reference } from '../../src/kernel/cross-check.js';
import { crossCheck } from '../../src/kernel/cross-check.js';
import type { KernelReport } from '../../src/kernel/checks/result.js';
import { SourceText } from '../../src/common/source.js';
import { bundled } from '../support/compile.js';

export const FIXTURES = 'test/fixtures/kernel';

/**
 * The patch-mode tests read a mail of our own in the seed's shape (see
 * test/fixtures/kernel/mails/README.md), and the real seed mail too when
 * VFIO_FSM_SEED_MAIL names it: it lies outside the repository, so a fresh
 * clone has no such file (.ci/run sets the variable when ../shared/seeds/
 * holds it). Both must give the same figures.
 */
export const SEED_SHAPE_MAIL = `${FIXTURES}/mails/p2p-seed-shape.mbox`;
const seedMail = process.env['VFIO_FSM_SEED_MAIL'];
export const SEED_MAIL: string | undefined = seedMail === '' ? undefined : seedMail;
export const SEED_MAIL_SKIPPED = 'the seed mail lies outside the repository; set VFIO_FSM_SEED_MAIL to its path to run them (.ci/run does when ../shared/seeds/ holds it)';

/** The mails in the seed's shape: ours always, the seed itself when named; `path` is undefined when it is not. */
export const SEED_SHAPED_MAILS: readonly { readonly name: string; readonly path: string | undefined }[] = [
  { name: 'a mail of our own in the seed\'s shape', path: SEED_SHAPE_MAIL },
  { name: 'the seed mail (VFIO_FSM_SEED_MAIL)', path: SEED_MAIL },
];

/** Each era's fixture and the spec it must agree with. */
export const ERAS = [
  { fixture: 'v2', spec: 'spec/history/v2-protocol.fsm' },
  { fixture: 'seed-v6', spec: 'spec/history/seed-v6.fsm' },
  { fixture: 'linux-5.18', spec: 'spec/history/linux-5.18.fsm' },
  { fixture: 'linux-6.2', spec: 'spec/history/linux-6.2.fsm' },
  { fixture: 'linux-7.2', spec: 'spec/vfio-migration.fsm' },
] as const;

function source(path: string, text?: string): SourceText {
  return new SourceText(path, text ?? readFileSync(path, 'utf8'));
}

export interface Inputs {
  readonly text?: string;
  readonly base?: string;
  readonly uapi?: string;
  /** Stands for the text of `uapi` (or of a header named `vfio.h` when none is given). */
  readonly uapiText?: string;
  readonly strictComment?: boolean;
}

export type Outcome = { ok: true; report: KernelReport; warnings: readonly Diagnostic[] } | { ok: false; diagnostics: readonly Diagnostic[] };

/** The bundled specs, as the CLI gives them to the cross-check to tell which era the code is. */
export const REFERENCES: readonly Reference[] = BUNDLED_SPECS.filter((s) => s.era).map((s) => ({ name: s.name, model: bundled(s.path), describes: s.describes, fixes: s.fixes }));

/** The cross-check on files (or on `text` standing for `input`), as the CLI runs it. */
export async function kernel(input: string, spec: string, inputs: Inputs = {}): Promise<Outcome> {
  const specName = BUNDLED_SPECS.find((s) => s.path === spec)?.name ?? null;
  const r = await crossCheck(bundled(spec), {
    input: source(input, inputs.text),
    base: inputs.base ? source(inputs.base) : undefined,
    uapi: inputs.uapi || inputs.uapiText ? source(inputs.uapi ?? 'vfio.h', inputs.uapiText) : undefined,
  }, { specName, references: REFERENCES, strictComment: inputs.strictComment ?? false });
  return r.ok ? { ok: true, report: r.report, warnings: r.warnings } : { ok: false, diagnostics: r.diagnostics };
}

/** The report of an input that must be readable. */
export async function report(input: string, spec: string, inputs: Inputs = {}): Promise<KernelReport> {
  const r = await kernel(input, spec, inputs);
  if (!r.ok) throw new Error(`expected a report, got diagnostics:\n${r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`).join('\n')}`);
  return r.report;
}

/** The diagnostics of an input that must be refused. */
export async function refused(input: string, spec: string, inputs: Inputs = {}): Promise<readonly Diagnostic[]> {
  const r = await kernel(input, spec, inputs);
  if (r.ok) throw new Error('expected diagnostics, got a report');
  return r.diagnostics;
}

/** `current -> target {flags}`: one evaluation input, for comparing sets of them. */
export function inputKey(x: { current: string; target: string; flags: readonly string[] }): string {
  return `${x.current} -> ${x.target} {${x.flags.join(',')}}`;
}
