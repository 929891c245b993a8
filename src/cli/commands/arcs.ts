import type { Command } from 'commander';
import { EXIT, painter, printDiagnostics, printJson } from '../console.js';
import { deviceFlags } from '../device-flags.js';
import { maxFlagSetsOption, parseMaxFlagSets, withinFlagSetLimit } from '../flag-set-limit.js';
import { loadSpecOrReport } from '../load-spec.js';
import { DEFAULT_SPEC, SPEC_HELP } from '../default-spec.js';

export function registerArcs(program: Command): void {
  const command = program
    .command('arcs')
    .description('the arcs a driver must implement, and must never be asked to take, by the flags it advertises')
    .argument('[spec]', `the spec: ${SPEC_HELP}`, DEFAULT_SPEC)
    .option('--flags <names>', 'only the driver with these flags, e.g. P2P (the mandatory flag is always added)')
    .option('--json', 'print the arc lists as JSON');
  maxFlagSetsOption(command).action(async (spec: string, opts: { flags?: string; json?: boolean; maxFlagSets?: string }) => {
    const maxFlagSets = parseMaxFlagSets(opts.maxFlagSets);
    // Loaded on use: `vfio-fsm check` should not pay for this command's modules.
    const [{ driverArcs }, { arcsJson, arcsText }] = await Promise.all([import('../../analysis/driver-arcs.js'), import('../../report/arcs-report.js')]);
    const loaded = loadSpecOrReport(spec, Boolean(opts.json));
    if (!loaded) return;
    if (!withinFlagSetLimit(loaded, maxFlagSets, Boolean(opts.json))) {
      process.exitCode = EXIT.unreadable;
      return;
    }
    const { model } = loaded;
    const { word, notes } = opts.flags === undefined ? { word: undefined, notes: [] } : deviceFlags(model, opts.flags);
    const result = driverArcs(model, word, maxFlagSets);
    if (opts.json) printJson(arcsJson(model, result, notes));
    else {
      printDiagnostics(loaded.warnings, loaded.source);
      process.stdout.write(`${arcsText(model, result, word !== undefined, notes, painter(process.stdout))}\n`);
    }
    process.exitCode = EXIT.ok;
  });
}
