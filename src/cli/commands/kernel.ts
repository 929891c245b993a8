import type { Command } from 'commander';
import type { SourceText } from '../../common/source.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { diagnosticsJson, EXIT, painter, printDiagnostics, printJson } from '../console.js';
import { DEFAULT_SPEC, SPEC_HELP } from '../default-spec.js';
import { maxFlagSetsOption, parseMaxFlagSets, withinFlagSetLimit } from '../flag-set-limit.js';
import { loadSpec, reportLoadFailure } from '../load-spec.js';
import { KERNEL_INPUT_BYTES, readTextInput } from '../../node/read-input.js';
import { chosenSpec, eraReferenceSources } from '../references.js';
import { crossCheckCached } from '../cache/kernel-cache.js';

interface KernelOptions {
  spec: string;
  maxFlagSets?: string;
  base?: string;
  uapi?: string;
  json?: boolean;
  strictComment?: boolean;
}

export function registerKernel(program: Command): void {
  const command = program
    .command('kernel')
    .description('cross-check kernel C (a file, a patch or mbox, or - for stdin) against a spec: tables, evaluation of the lookup, comment, uapi; say which era the code is')
    .argument('<input>', 'a C file, a unified diff / git format-patch mail / mbox, or - for standard input')
    .option('--spec <spec>', `the spec to check against: ${SPEC_HELP}`, DEFAULT_SPEC)
    .option('--base <file>', 'apply the patch to this file, mail by mail, and check each result')
    .option('--uapi <header>', "also check a vfio.h-shaped header: enum values and flag bits (a mail's own hunks of it are applied first)")
    .option('--strict-comment', 'count what the comment above the table gets wrong against agreement (otherwise warnings)')
    .option('--json', 'print the result as JSON');
  maxFlagSetsOption(command).action(async (input: string, opts: KernelOptions) => {
    process.exitCode = await runKernel(input, opts);
  });
}

async function runKernel(input: string, opts: KernelOptions): Promise<number> {
  const json = Boolean(opts.json);
  const maxFlagSets = parseMaxFlagSets(opts.maxFlagSets);
  const chosen = chosenSpec(opts.spec);
  const loaded = loadSpec(chosen.path);
  if (!loaded.ok) {
    reportLoadFailure(loaded, json);
    return EXIT.unreadable;
  }
  if (!withinFlagSetLimit(loaded, maxFlagSets, json)) return EXIT.unreadable;
  const read = (path: string): SourceText | Diagnostic => {
    const r = readTextInput(path, KERNEL_INPUT_BYTES);
    return r.ok ? r.source : r.diagnostic;
  };
  const inputs: { input?: SourceText; base?: SourceText; uapi?: SourceText } = {};
  const unreadable: Diagnostic[] = [];
  for (const [key, path] of [['input', input], ['base', opts.base], ['uapi', opts.uapi]] as const) {
    if (path === undefined) continue;
    const r = read(path);
    if ('text' in r) inputs[key] = r;
    else unreadable.push(r);
  }
  if (unreadable.length || !inputs.input) return fail(unreadable, [], json);
  // Loaded only when this command runs, so other commands do not pay for the C reader; the text
  // report's module comes in the same batch (each separate import costs a round of the loader).
  const [{ crossCheck }, textReport] = await Promise.all([import('../../kernel/cross-check.js'), json ? null : import('../../report/kernel-report.js')]);
  const eras = eraReferenceSources();
  const given = { input: inputs.input, base: inputs.base, uapi: inputs.uapi };
  const strictComment = Boolean(opts.strictComment);
  const result = await crossCheckCached({ spec: loaded.source, specName: chosen.name, references: eras, inputs: given, strictComment }, () =>
    crossCheck(loaded.model, given, { specName: chosen.name, references: eras.map((r) => r.reference), strictComment }),
  );
  if (!result.ok) return fail(result.diagnostics, result.sources, json);
  if (!textReport) {
    const { diagnostics, diagnosticsOmitted } = diagnosticsJson(result.warnings);
    printJson({ ...result.report, warnings: diagnostics, warningsOmitted: diagnosticsOmitted });
  }
  else {
    const { kernelText } = textReport;
    // The comment's warnings are part of the report's text; other warnings go to stderr as diagnostics.
    printDiagnostics(result.warnings.filter((d) => d.code !== 'VF241'), result.sources);
    process.stdout.write(`${kernelText(result.report, painter(process.stdout))}\n`);
  }
  const verdict = result.report.verdict;
  return verdict === 'agree' ? EXIT.ok : verdict === 'disagree' ? EXIT.fails : EXIT.inconclusive;
}

function fail(diagnostics: readonly Diagnostic[], sources: readonly SourceText[], json: boolean): number {
  if (json) printJson({ ok: false, verdict: null, ...diagnosticsJson(diagnostics) });
  else printDiagnostics(diagnostics, sources);
  return EXIT.unreadable;
}
