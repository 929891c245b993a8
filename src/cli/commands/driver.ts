import type { Command } from 'commander';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { SourceText } from '../../common/source.js';
import { diagnosticJson, EXIT, painter, printDiagnostics, printJson } from '../console.js';
import { deviceFlags } from '../device-flags.js';
import { loadSpec, reportLoadFailure } from '../load-spec.js';
import { readTextInput } from '../../node/read-input.js';
import { DEFAULT_SPEC } from '../default-spec.js';

interface DriverOptions {
  spec: string;
  function?: string;
  flags?: string;
  json?: boolean;
}

export function registerDriver(program: Command): void {
  program
    .command('driver')
    .description("check a VFIO migration driver's step function: it must handle exactly the arcs the core can ask of it, for every flag set it advertises")
    .argument('<file.c...>', 'the driver C files (the step function, and the files with its set-state loop and migration_flags)')
    .option('--spec <file>', 'the spec whose required arcs the driver is held to', DEFAULT_SPEC)
    .option('--function <name>', 'the step function, when the reader should not find it itself')
    .option('--flags <names>', 'the flags the driver advertises, when they are set in a file not given (e.g. STOP_COPY,P2P; the mandatory flag is always added)')
    .option('--json', 'print the result as JSON')
    .action(async (files: string[], opts: DriverOptions) => {
      process.exitCode = await runDriver(files, opts);
    });
}

async function runDriver(files: readonly string[], opts: DriverOptions): Promise<number> {
  const json = Boolean(opts.json);
  const loaded = loadSpec(opts.spec);
  if (!loaded.ok) {
    reportLoadFailure(loaded, json);
    return EXIT.unreadable;
  }
  const { model } = loaded;
  const flags = opts.flags === undefined ? undefined : deviceFlags(model, opts.flags);
  const sources: SourceText[] = [];
  const unreadable: Diagnostic[] = [];
  for (const path of files) {
    const r = readTextInput(path);
    if (r.ok) sources.push(r.source);
    else unreadable.push(r.diagnostic);
  }
  if (unreadable.length) return fail(unreadable, [], json);
  // Loaded on use, so that other commands do not pay for the C reader.
  const [{ checkDriver }, { driverJson, driverText }] = await Promise.all([import('../../kernel/driver/check-driver.js'), import('../../report/driver-report.js')]);
  const result = checkDriver(model, { sources, functionName: opts.function, flags: flags?.word });
  if (!result.ok) return fail(result.diagnostics, sources, json);
  const report = { ...result.report, notes: [...(flags?.notes ?? []), ...result.report.notes] };
  if (json) printJson({ ...driverJson(report), warnings: result.warnings.map(diagnosticJson) });
  else {
    for (const w of result.warnings) printDiagnostics([w], sources.find((s) => s.path === w.file));
    process.stdout.write(`${driverText(report, painter(process.stdout))}\n`);
  }
  if (report.verdict === 'undecided') return EXIT.inconclusive;
  return report.verdict === 'conform' ? EXIT.ok : EXIT.fails;
}

function fail(diagnostics: readonly Diagnostic[], sources: readonly SourceText[], json: boolean): number {
  if (json) printJson({ ok: false, diagnostics: diagnostics.map(diagnosticJson) });
  else for (const d of diagnostics) printDiagnostics([d], sources.find((s) => s.path === d.file));
  return EXIT.unreadable;
}
