import type { DiagnosticSink } from '../diagnostics/diagnostic.js';
import type * as ast from '../syntax/ast.js';
import type { CNames, TsNames } from './model.js';

const C_KEYS = { enum: 'enum', 'state-prefix': 'statePrefix', 'flag-prefix': 'flagPrefix', table: 'table', 'flags-table': 'flagsTable', function: 'function' } as const;
const TS_KEYS = { 'state-type': 'stateType', 'flag-type': 'flagType' } as const;

const TS_RESERVED = new Set(['break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'let', 'static', 'yield', 'await', 'string', 'number', 'boolean', 'any', 'never', 'unknown', 'object', 'symbol', 'bigint', 'undefined']);

function pascal(name: string): string {
  return name
    .split(/_+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase())
    .join('');
}

/**
 * The names generated code is emitted under. Anything the spec leaves out is
 * derived from the machine name, so a minimal spec still emits valid code.
 */
export function emitNames(d: DiagnosticSink, spec: ast.SpecAst, machine: string): { c: CNames; ts: TsNames } {
  const c: Record<keyof CNames, string> = {
    enum: machine,
    statePrefix: `${machine.toUpperCase()}_`,
    flagPrefix: `${machine.toUpperCase()}_FLAG_`,
    table: `${machine}_table`,
    flagsTable: `${machine}_flags_table`,
    function: `${machine}_next_state`,
  };
  const ts: Record<keyof TsNames, string> = { stateType: `${pascal(machine)}State`, flagType: `${pascal(machine)}Flag` };
  const given = new Map<string, ast.Name>();
  for (const stmt of spec.statements) {
    if (stmt.kind !== 'emit') continue;
    const target = stmt.target.text;
    if (target !== 'c' && target !== 'ts') {
      d.error('VF080', stmt.target.span, `unknown emit target \`${target}\`: expected c or ts`);
      continue;
    }
    const keys: Record<string, string> = target === 'c' ? C_KEYS : TS_KEYS;
    for (const { key, value } of stmt.settings) {
      const field = keys[key.text];
      if (!field) {
        d.error('VF081', key.span, `unknown ${target} setting \`${key.text}\`: expected one of ${Object.keys(keys).join(', ')}`);
        continue;
      }
      const id = `${target}.${key.text}`;
      const before = given.get(id);
      if (before) {
        d.error('VF083', key.span, `${target} setting \`${key.text}\` is given twice`);
        continue;
      }
      given.set(id, key);
      if (target === 'ts' && TS_RESERVED.has(value.text)) {
        d.error('VF082', value.span, `\`${value.text}\` is a reserved word in TypeScript and cannot name a type`);
        continue;
      }
      if (target === 'c') (c as Record<string, string>)[field] = value.text;
      else (ts as Record<string, string>)[field] = value.text;
    }
  }
  return { c, ts };
}
