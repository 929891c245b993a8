import type { Command } from 'commander';
import type { Model } from '../../model/model.js';
import { EXIT, painter, printDiagnostics, printJson } from '../console.js';
import { deviceFlags } from '../device-flags.js';
import { UsageError } from '../usage-error.js';
import { loadSpecOrReport } from '../load-spec.js';
import { DEFAULT_SPEC, SPEC_HELP } from '../default-spec.js';

export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description('why a request takes its path: the candidates that lost and the table cells the lookup reads')
    .argument('<current>', 'the state the device is in')
    .argument('<target>', 'the state user space asks for')
    .argument('[spec]', `the spec: ${SPEC_HELP}`, DEFAULT_SPEC)
    .option('--flags <names>', 'the flags the device advertises, e.g. P2P,PRE_COPY (default: all; the mandatory flag is always added)')
    .option('--max-arcs <n>', 'longest candidate path considered (default: two arcs more than the selected path)')
    .option('--json', 'print the explanation as JSON')
    .action(async (current: string, target: string, spec: string, opts: { flags?: string; maxArcs?: string; json?: boolean }) => {
      // Loaded on use: `vfio-fsm check` should not pay for this command's modules.
      const [{ explain }, { deriveTable }, { explainJson, explainText }] = await Promise.all([
        import('../../analysis/explain.js'),
        import('../../analysis/kernel-table.js'),
        import('../../report/explain-report.js'),
      ]);
      const loaded = loadSpecOrReport(spec, Boolean(opts.json));
      if (!loaded) return;
      const { model } = loaded;
      const cur = stateValue(model, current);
      const tgt = stateValue(model, target);
      const { word, notes } = deviceFlags(model, opts.flags);
      const maxArcs = opts.maxArcs === undefined ? undefined : positive(opts.maxArcs);
      const e = explain(model, deriveTable(model), word, cur, tgt, { maxArcs });
      if (opts.json) printJson(explainJson(model, e, notes));
      else {
        printDiagnostics(loaded.warnings, loaded.source);
        process.stdout.write(`${explainText(model, e, notes, painter(process.stdout))}\n`);
      }
      process.exitCode = EXIT.ok;
    });
}

function stateValue(model: Model, name: string): number {
  const s = model.states.find((x) => x.name === name);
  if (!s) throw new UsageError(`unknown state \`${name}\`; ${model.file} declares ${model.states.map((x) => x.name).join(', ')}`);
  return s.value;
}

function positive(text: string): number {
  const n = Number(text);
  // Enumerating simple paths grows fast; past a dozen arcs no explanation is read anyway.
  if (!Number.isInteger(n) || n < 1 || n > 12) throw new UsageError(`--max-arcs must be a whole number from 1 to 12, not \`${text}\``);
  return n;
}
