import type { Command } from 'commander';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { SourceText } from '../../common/source.js';
import { diagnosticJson, EXIT, painter, printDiagnostics, printJson } from '../console.js';
import { loadSpec, reportLoadFailure } from '../load-spec.js';
import { readTextInput } from '../read-input.js';
import { DEFAULT_SPEC } from '../default-spec.js';

/** A whole vfio_main.c is ~60 KB and an mbox of a series a few hundred; stay well above both. */
const KERNEL_INPUT_BYTES = 16 * 1024 * 1024;

interface KernelOptions {
  spec: string;
  base?: string;
  uapi?: string;
  json?: boolean;
}

export function registerKernel(program: Command): void {
  program
    .command('kernel')
    .description('cross-check kernel C (a file, a patch or mbox, or - for stdin) against a spec: tables, evaluation of the lookup, comment, uapi')
    .argument('<input>', 'a C file, a unified diff / git format-patch mail / mbox, or - for standard input')
    .option('--spec <file>', 'the spec to check against', DEFAULT_SPEC)
    .option('--base <file>', 'apply the patch to this file and check the result')
    .option('--uapi <header>', 'also check a vfio.h-shaped header: enum values and flag bits')
    .option('--json', 'print the result as JSON')
    .action(async (input: string, opts: KernelOptions) => {
      process.exitCode = await runKernel(input, opts);
    });
}

async function runKernel(input: string, opts: KernelOptions): Promise<number> {
  const json = Boolean(opts.json);
  const loaded = loadSpec(opts.spec);
  if (!loaded.ok) {
    reportLoadFailure(loaded, json);
    return EXIT.unreadable;
  }
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
  const result = await crossCheck(loaded.model, { input: inputs.input, base: inputs.base, uapi: inputs.uapi });
  if (!result.ok) return fail(result.diagnostics, result.sources, json);
  if (!textReport) printJson({ ...result.report, warnings: result.warnings.map(diagnosticJson) });
  else {
    const { kernelText } = textReport;
    printDiagnostics(result.warnings, result.sources.find((s) => s.path === result.warnings[0]?.file));
    process.stdout.write(`${kernelText(result.report, painter(process.stdout))}\n`);
  }
  // An evaluation cut short by a step budget is inconclusive, whatever else was found.
  if (result.report.evaluation.budget) return 3;
  return result.report.ok ? EXIT.ok : EXIT.fails;
}

function fail(diagnostics: readonly Diagnostic[], sources: readonly SourceText[], json: boolean): number {
  if (json) printJson({ ok: false, diagnostics: diagnostics.map(diagnosticJson) });
  else for (const d of diagnostics) printDiagnostics([d], sources.find((s) => s.path === d.file));
  return EXIT.unreadable;
}
