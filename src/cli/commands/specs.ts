import type { Command } from 'commander';
import { BUNDLED_SPECS } from '../../node/bundled-specs.js';
import { EXIT, printJson } from '../console.js';
import { loadSpec, reportLoadFailure } from '../load-spec.js';

export function registerSpecs(program: Command): void {
  program
    .command('specs')
    .description('list the bundled specs: the name a command takes, what each describes, and its verdict')
    .option('--json', 'print the list as JSON')
    .action(async (opts: { json?: boolean }) => {
      const [{ check }, { failedProperties, failedText }] = await Promise.all([import('../../analysis/check.js'), import('../../analysis/check-summary.js')]);
      const rows: { name: string; file: string; describes: string; ok: boolean; verdict: string }[] = [];
      for (const spec of BUNDLED_SPECS) {
        const loaded = loadSpec(spec.name);
        // Never on an intact package: the specs ship with it and are tested.
        if (!loaded.ok) {
          reportLoadFailure(loaded, Boolean(opts.json));
          process.exitCode = EXIT.unreadable;
          return;
        }
        const result = check(loaded.model);
        const verdict = result.ok ? 'all properties hold' : `fails: ${failedText(failedProperties(result))}`;
        rows.push({ name: spec.name, file: loaded.source.path, describes: spec.describes, ok: result.ok, verdict });
      }
      if (opts.json) printJson(rows);
      else process.stdout.write(specsText(rows));
      process.exitCode = EXIT.ok;
    });
}

function specsText(rows: readonly { name: string; describes: string; verdict: string }[]): string {
  const table = [['name', 'describes', 'verdict'], ...rows.map((r) => [r.name, r.describes, r.verdict])];
  const widths = [0, 1].map((i) => Math.max(...table.map((row) => row[i]!.length)));
  const lines = table.map(([name, describes, verdict]) => `${name!.padEnd(widths[0]!)}  ${describes!.padEnd(widths[1]!)}  ${verdict}`);
  return `${lines.join('\n')}\n\nA name stands for its spec wherever a command takes one, from any folder: npx vfio-fsm check linux-6.2\n`;
}
