import type { Command } from 'commander';
import { check } from '../../analysis/check.js';
import { checkJson, checkText } from '../../report/check-report.js';
import { EXIT, painter, printDiagnostics, printJson } from '../console.js';
import { parseFlagOption } from '../flag-option.js';
import { maxFlagSetsOption, parseMaxFlagSets, withinFlagSetLimit } from '../flag-set-limit.js';
import { loadSpec, reportLoadFailure } from '../load-spec.js';

export const DEFAULT_SPEC = 'spec/vfio-migration.fsm';

export function registerCheck(program: Command): void {
  const command = program
    .command('check')
    .description('prove every property of a spec for every flag set')
    .argument('[spec...]', 'the .fsm files to check', [DEFAULT_SPEC])
    .option('--json', 'print the result as JSON (one object, or an array for several specs)')
    .option('--flags <names>', 'check only this flag set, e.g. STOP_COPY,P2P');
  maxFlagSetsOption(command).action((specs: string[], opts: { json?: boolean; flags?: string; maxFlagSets?: string }) => {
    const maxFlagSets = parseMaxFlagSets(opts.maxFlagSets);
    const results: unknown[] = [];
    let exit: number = EXIT.ok;
    for (const spec of specs) {
      const loaded = loadSpec(spec);
      if (!loaded.ok) {
        reportLoadFailure(loaded, Boolean(opts.json));
        exit = EXIT.unreadable;
        continue;
      }
      const { model } = loaded;
      const only = opts.flags === undefined ? undefined : [parseFlagOption(model, opts.flags)];
      // One flag set asked for by name needs no bound; the whole space does.
      if (!only && !withinFlagSetLimit(loaded, maxFlagSets, Boolean(opts.json))) {
        exit = EXIT.unreadable;
        continue;
      }
      const result = check(model, { only, maxFlagSets });
      if (!result.ok && exit === EXIT.ok) exit = EXIT.fails;
      if (opts.json) results.push(checkJson(model, result));
      else {
        printDiagnostics(loaded.warnings, loaded.source);
        process.stdout.write(`${checkText(model, result, painter(process.stdout))}\n`);
      }
    }
    if (opts.json && results.length) printJson(results.length === 1 ? results[0] : results);
    process.exitCode = exit;
  });
}
