// A vitest reporter, run after the default one: it lists every test skipped
// with a reason (`ctx.skip(reason)`), so that a plain `npm test` on a fresh
// clone says which tests did not run and why, without --reporter=verbose.
import type { Reporter, TestModule } from 'vitest/node';

export default class SkipReasons implements Reporter {
  onTestRunEnd(modules: readonly TestModule[]): void {
    const byReason = new Map<string, string[]>();
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state !== 'skipped' || !result.note) continue;
        const list = byReason.get(result.note) ?? [];
        list.push(`${module.relativeModuleId} > ${test.fullName}`);
        byReason.set(result.note, list);
      }
    }
    for (const [reason, tests] of byReason) {
      process.stdout.write(`\nSkipped on purpose, ${tests.length} test${tests.length === 1 ? '' : 's'}: ${reason}\n${tests.map((t) => `  ↓ ${t}\n`).join('')}`);
    }
  }
}
