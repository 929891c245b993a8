import { Option } from 'commander';
import type { Command } from 'commander';
import type { CheckResult } from '../../analysis/check.js';
import { check } from '../../analysis/check.js';
import type { Model } from '../../model/model.js';
import { checkJson, checkText } from '../../report/check-report.js';
import { EXIT, painter, printDiagnostics, printJson } from '../console.js';
import { parseFlagOption } from '../flag-option.js';
import { DEFAULT_SPEC, SPEC_HELP } from '../default-spec.js';
import { maxFlagSetsOption, parseMaxFlagSets, withinFlagSetLimit } from '../flag-set-limit.js';
import { loadSpec, reportLoadFailure } from '../load-spec.js';

export function registerCheck(program: Command): void {
  const command = program
    .command('check')
    .description('prove every property of a spec for every flag set')
    .argument('[spec...]', `the specs to check: ${SPEC_HELP}`, [DEFAULT_SPEC])
    .option('--json', 'print the result as JSON (one object, or an array for several specs)')
    .option('--flags <names>', 'check only this flag set, e.g. STOP_COPY,P2P')
    .addOption(new Option('--oracle <name>', 'also run an independent model checker on the spec and compare its verdict (spin)').choices(['spin']));
  maxFlagSetsOption(command).action(async (specs: string[], opts: { json?: boolean; flags?: string; oracle?: 'spin'; maxFlagSets?: string }) => {
    const maxFlagSets = parseMaxFlagSets(opts.maxFlagSets);
    if (opts.oracle) {
      const { missingTools } = await import('../oracle-spin.js');
      const missing = missingTools();
      if (missing.length) {
        process.stderr.write(
          `vfio-fsm check: --oracle spin needs ${missing.map((t) => `\`${t}\``).join(' and ')} on PATH, and ${missing.length > 1 ? 'they are' : 'it is'} missing (on Debian: apt-get install spin gcc)\n`,
        );
        process.exitCode = EXIT.unreadable;
        return;
      }
    }
    const results: unknown[] = [];
    let exit: number = EXIT.ok;
    let inconclusive = false;
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
      const oracle = opts.oracle ? await runOracle(model, result, only) : undefined;
      if (oracle?.kind === 'inconclusive') inconclusive = true;
      if (oracle?.kind === 'compared' && !oracle.agree && exit === EXIT.ok) exit = EXIT.fails;
      if (opts.json) results.push(oracle ? { ...checkJson(model, result), oracle: oracle.json } : checkJson(model, result));
      else {
        printDiagnostics(loaded.warnings, loaded.source);
        process.stdout.write(`${checkText(model, result, painter(process.stdout))}\n`);
        if (oracle) process.stdout.write(`\n${oracle.text}\n`);
      }
    }
    if (opts.json && results.length) printJson(results.length === 1 ? results[0] : results);
    // A search that could not finish says nothing either way; only unreadable input outranks it.
    process.exitCode = inconclusive && exit !== EXIT.unreadable ? EXIT.inconclusive : exit;
  });
}

type OracleRun =
  | { readonly kind: 'compared'; readonly agree: boolean; readonly text: string; readonly json: unknown }
  | { readonly kind: 'inconclusive'; readonly text: string; readonly json: unknown };

/** SPIN's verdict on the spec's Promela model, compared with the checker's. */
async function runOracle(model: Model, result: CheckResult, only: readonly number[] | undefined): Promise<OracleRun> {
  const [{ flagSetFacts }, { emitPromela, promelaBounds }, { runSpin }, { compareFindings }, { oracleJson, oracleText }] = await Promise.all([
    import('../../emit/facts.js'),
    import('../../emit/promela.js'),
    import('../oracle-spin.js'),
    import('../../oracle/compare.js'),
    import('../../oracle/report.js'),
  ]);
  // The model covers every flag word, so it is written from a full check.
  const full = only ? check(model) : result;
  const facts = flagSetFacts(model, full);
  const outcome = await runSpin(emitPromela(model, full, facts), promelaBounds(model, facts.length));
  if (outcome.kind === 'inconclusive') {
    return {
      kind: 'inconclusive',
      text: `oracle spin: INCONCLUSIVE on ${model.file}: ${outcome.reason}`,
      json: { name: 'spin', agree: null, inconclusive: outcome.reason },
    };
  }
  const comparison = compareFindings(result.violations, outcome.findings, only);
  const paint = painter(process.stdout);
  return { kind: 'compared', agree: comparison.agree, text: oracleText(model, comparison, outcome.stats, paint), json: oracleJson(model, comparison, outcome.stats) };
}
