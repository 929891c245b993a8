import type { Command } from 'commander';
import { flagSetLimitDiagnostic, flagSetRefusal, inertFlagNames } from '../../analysis/flag-space.js';
import { EXIT, diagnosticsJson, painter, printDiagnostics, printJson } from '../console.js';
import { SPEC_HELP } from '../default-spec.js';
import { maxFlagSetsOption, parseMaxFlagSets } from '../flag-set-limit.js';
import type { Loaded } from '../load-spec.js';
import { loadSpec, reportLoadFailure } from '../load-spec.js';

export function registerDiff(program: Command): void {
  const command = program
    .command('diff')
    .description('what a spec change does to existing devices and drivers; exit 1 on a behaviour change')
    .argument('<old-spec>', `the spec as it is: ${SPEC_HELP}`)
    .argument('<new-spec>', `the spec as proposed: ${SPEC_HELP}`)
    .option('--allow-behaviour-change', 'exit 0 even when existing flag sets behave differently')
    .option('--json', 'print the findings as JSON');
  maxFlagSetsOption(command).action(async (oldPath: string, newPath: string, opts: { allowBehaviourChange?: boolean; json?: boolean; maxFlagSets?: string }) => {
    const maxFlagSets = parseMaxFlagSets(opts.maxFlagSets);
    // Loaded on use: `vfio-fsm check` should not pay for this command's modules.
    const [{ diffSpecs }, { diffJson, diffText }] = await Promise.all([import('../../analysis/spec-diff.js'), import('../../report/diff-report.js')]);
    let before = loadSpec(oldPath);
    let after = loadSpec(newPath);
    if (before.ok && after.ok) {
      // Flags are compared by name: only those neither spec mentions are set aside (flag-space.ts).
      const inert = inertFlagNames(before.model, after.model);
      [before, after] = [before, after].map((l) => (l.ok ? overLimit(l, maxFlagSets, inert) : l)) as [Loaded, Loaded];
    }
    if (!before.ok || !after.ok) {
      const failed = [before, after].flatMap((l) => (l.ok ? [] : [l]));
      // One JSON document on stdout however many specs failed, as `check` does.
      const docs = failed.map((f) => ({ ok: false, spec: f.path, ...diagnosticsJson(f.diagnostics) }));
      if (opts.json) printJson(docs.length === 1 ? docs[0] : docs);
      else for (const f of failed) reportLoadFailure(f, false);
      process.exitCode = EXIT.unreadable;
      return;
    }
    const d = diffSpecs(before.model, after.model, maxFlagSets);
    const allowed = Boolean(opts.allowBehaviourChange);
    if (opts.json) printJson(diffJson(d, allowed));
    else {
      printDiagnostics(before.warnings, before.source);
      printDiagnostics(after.warnings, after.source);
      process.stdout.write(`${diffText(d, painter(process.stdout))}\n`);
    }
    // A new spec that fails its own check fails the diff too, whatever --allow-behaviour-change says.
    process.exitCode = (d.behaviourChanges > 0 && !allowed) || !d.new.checkOk ? EXIT.fails : EXIT.ok;
  });
}

/** A loaded spec, or its VF100 refusal when the flag sets to compare exceed the limit. */
function overLimit(loaded: Extract<Loaded, { ok: true }>, maxFlagSets: number, inert: ReadonlySet<string>): Loaded {
  const refusal = flagSetRefusal(loaded.model, maxFlagSets, inert);
  if (!refusal) return loaded;
  const diagnostic = flagSetLimitDiagnostic(loaded.source, loaded.model, refusal, 'states, arcs or the lookup of one of the two specs');
  return { ok: false, path: loaded.model.file, source: loaded.source, diagnostics: [diagnostic] };
}
