import type { Command } from 'commander';
import { modelToJson } from '../../model/model-json.js';
import { diagnosticsJson, printDiagnostics, printJson } from '../console.js';
import { SPEC_HELP } from '../default-spec.js';
import { loadSpecOrReport } from '../load-spec.js';

export function registerParse(program: Command): void {
  program
    .command('parse')
    .description('parse and validate a spec, then print its model')
    .argument('<spec>', `the spec to read: ${SPEC_HELP}`)
    .option('--json', 'print the validated model as JSON')
    .action((spec: string, opts: { json?: boolean }) => {
      const loaded = loadSpecOrReport(spec, Boolean(opts.json));
      if (!loaded) return;
      const { model, warnings } = loaded;
      if (opts.json) {
        printJson({ ok: true, spec: model.file, model: modelToJson(model), ...diagnosticsJson(warnings) });
        return;
      }
      printDiagnostics(warnings, loaded.source);
      const optional = model.flags.filter((f) => !f.mandatory).map((f) => f.name);
      process.stdout.write(
        [
          `${model.file}: machine ${model.machine}`,
          `  flags:   ${model.flags.map((f) => `${f.name}=0x${f.bit.toString(16)}${f.mandatory ? ' (mandatory)' : ''}`).join(', ')}`,
          `  states:  ${model.states.map((s) => `${s.name}=${s.value}${s.sink ? ' (sink)' : ''}`).join(', ')}`,
          `  order:   ${model.order.map((v) => model.states[v]!.name).join(', ')}`,
          `  arcs:    ${model.arcs.length} (${model.arcs.filter((a) => a.when.require || a.when.forbid).length} guarded by ${optional.join(', ') || 'no flag'})`,
          `  blocked: ${model.blocked.map((b) => `${model.states[b.from]!.name} -> ${model.states[b.to]!.name}`).join(', ') || 'none'}`,
          `  rules:   shortest${model.interior.map((r) => `; interior ${model.groups[r.group]!.name} ${r.mode}`).join('')}`,
          `  lookup:  ${model.lookup.variant}`,
          '',
        ].join('\n'),
      );
    });
}
