import type { SourceText, Span } from '../../common/source.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Model } from '../../model/model.js';
import { constResolver } from '../bind/bind-function.js';
import type { Report } from '../c/const-eval.js';
import { constEval } from '../c/const-eval.js';
import { parseC } from '../c/parse.js';
import type { FilePatch } from '../source/patch.js';
import { diagnosticIn, fileView, where } from '../source/view.js';
import type { UapiMismatch, UapiReport } from './result.js';
import { flagWordText } from './tables.js';

/** A patch of the uapi header, as kernel trees name it. */
export function isUapiHeader(file: FilePatch): boolean {
  return /(^|\/)include\/uapi\/linux\/vfio\.h$/.test(file.newName);
}

const ENUMERATOR = /^(\s*)([A-Za-z_][A-Za-z0-9_]*)\s*=\s*([^,]*?)\s*,?\s*(?:\/\*.*)?$/;
const DEFINE = /^\s*#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)[ \t]+(.*)$/;

/**
 * The values a mail's hunks of the uapi header show: the state enumerators
 * and the `VFIO_MIGRATION_*` bits on its context and added lines, each held
 * against the spec. Only what the hunks show is read; the spec's names they
 * do not show are listed as such, since the patch leaves them as they were.
 */
export function checkUapiHunks(model: Model, input: SourceText, file: FilePatch): { report: UapiReport; diagnostics: readonly Diagnostic[] } {
  const view = fileView(input);
  const diagnostics: Diagnostic[] = [];
  const report: Report = (code, span, message) => void diagnostics.push(diagnosticIn(view, 'error', code, span, message));
  const resolve = constResolver(model, new Map(), report, { specNames: false });
  const { statePrefix, flagPrefix } = model.c;
  const mismatches: UapiMismatch[] = [];
  const seenStates = new Set<string>();
  const seenFlags = new Set<string>();
  const value = (text: string, offset: number): number | null => {
    const raw = text.replace(/\/\*.*?\*\/|\/\/.*$/g, (c) => ' '.repeat(c.length)).trimEnd();
    if (!raw.trim()) return null;
    const parsed = parseC(input.text, offset, offset + raw.length, 'Expr');
    return parsed.ok ? (constEval(parsed.ast, resolve, report)?.v ?? null) : null;
  };
  for (const hunk of file.hunks) {
    for (const line of hunk.lines) {
      if (line.kind === '-') continue;
      const define = DEFINE.exec(line.text);
      if (define && define[1]!.startsWith(flagPrefix)) {
        const name = define[1]!;
        const nameAt: Span = { start: line.offset + line.text.indexOf(name), end: line.offset + line.text.indexOf(name) + name.length };
        const v = value(define[2]!, line.offset + line.text.length - define[2]!.length);
        if (v === null) continue;
        const flag = model.flags.find((f) => f.name === name.slice(flagPrefix.length));
        if (!flag) mismatches.push({ name, kernel: `0x${v.toString(16)}`, spec: null, message: `the patch defines ${name} = 0x${v.toString(16)}, which is no flag of ${model.file}`, at: where(view, nameAt) });
        else {
          seenFlags.add(flag.name);
          if (flag.bit !== v) mismatches.push({ name, kernel: `0x${v.toString(16)}`, spec: `0x${flag.bit.toString(16)}`, message: `${name} is 0x${v.toString(16)} in the patch, 0x${flag.bit.toString(16)} (${flagWordText(model, flag.bit)}) in the spec`, at: where(view, nameAt) });
        }
        continue;
      }
      const e = ENUMERATOR.exec(line.text);
      if (!e || !e[2]!.startsWith(statePrefix)) continue;
      const name = e[2]!;
      const nameAt: Span = { start: line.offset + e[1]!.length, end: line.offset + e[1]!.length + name.length };
      const v = value(e[3]!, line.offset + line.text.indexOf(e[3]!, e[1]!.length + name.length));
      if (v === null) continue;
      const state = model.states.find((s) => s.name === name.slice(statePrefix.length));
      if (!state) {
        if (!/_(NR|NUM|COUNT)$/.test(name)) mismatches.push({ name, kernel: String(v), spec: null, message: `the patch declares ${name} = ${v}, which is no state of ${model.file}`, at: where(view, nameAt) });
        continue;
      }
      seenStates.add(state.name);
      if (state.value !== v) mismatches.push({ name, kernel: String(v), spec: String(state.value), message: `${name} is ${v} in the patch, ${state.value} in the spec`, at: where(view, nameAt) });
    }
  }
  const notShown = [...model.states.filter((s) => !seenStates.has(s.name)).map((s) => `${statePrefix}${s.name}`), ...model.flags.filter((f) => !seenFlags.has(f.name)).map((f) => `${flagPrefix}${f.name}`)];
  return {
    report: { file: `${input.path} (its hunks of ${file.newName})`, states: seenStates.size, flags: seenFlags.size, mismatches, partial: true, notShown },
    diagnostics,
  };
}
