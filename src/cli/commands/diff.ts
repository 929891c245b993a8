import type { Command } from 'commander';
import { EXIT, diagnosticJson, painter, printDiagnostics, printJson } from '../console.js';
import { SPEC_HELP } from '../default-spec.js';
import { loadSpec, reportLoadFailure } from '../load-spec.js';

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description('what a spec change does to existing devices and drivers; exit 1 on a behaviour change')
    .argument('<old-spec>', `the spec as it is: ${SPEC_HELP}`)
    .argument('<new-spec>', `the spec as proposed: ${SPEC_HELP}`)
    .option('--allow-behaviour-change', 'exit 0 even when existing flag sets behave differently')
    .option('--json', 'print the findings as JSON')
    .action(async (oldPath: string, newPath: string, opts: { allowBehaviourChange?: boolean; json?: boolean }) => {
      // Loaded on use: `vfio-fsm check` should not pay for this command's modules.
      const [{ diffSpecs }, { diffJson, diffText }] = await Promise.all([import('../../analysis/spec-diff.js'), import('../../report/diff-report.js')]);
      const before = loadSpec(oldPath);
      const after = loadSpec(newPath);
      if (!before.ok || !after.ok) {
        const failed = [before, after].flatMap((l) => (l.ok ? [] : [l]));
        // One JSON document on stdout however many specs failed, as `check` does.
        const docs = failed.map((f) => ({ ok: false, spec: f.path, diagnostics: f.diagnostics.map(diagnosticJson) }));
        if (opts.json) printJson(docs.length === 1 ? docs[0] : docs);
        else for (const f of failed) reportLoadFailure(f, false);
        process.exitCode = EXIT.unreadable;
        return;
      }
      const d = diffSpecs(before.model, after.model);
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
