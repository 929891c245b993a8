import type { Code } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { locate } from '../diagnostics/diagnostic.js';
import type { Model } from '../model/model.js';
import { SourceText } from '../common/source.js';
import type { Analysis } from './analyze.js';
import { analyzeView } from './analyze.js';
import type { KernelReport, UapiReport } from './checks/result.js';
import type { CView } from './source/view.js';
import { fileView } from './source/view.js';

export interface KernelInputs {
  /** A C file, or a patch (unified diff, git format-patch mail, mbox). */
  readonly input: SourceText;
  readonly base?: SourceText;
  readonly uapi?: SourceText;
}

export type CrossCheck =
  | { ok: true; report: KernelReport; warnings: readonly Diagnostic[]; sources: readonly SourceText[] }
  | { ok: false; diagnostics: readonly Diagnostic[]; sources: readonly SourceText[] };

/**
 * A diff is recognised by a `---`/`+++` pair followed by a hunk header. (Here
 * rather than in patch.ts: a plain C file, the usual input, then loads none
 * of the patch reader, nor the uapi check unless asked for.)
 */
function looksLikePatch(text: string): boolean {
  return /^--- \S.*\n\+\+\+ \S.*\n@@ -\d+(,\d+)? \+\d+(,\d+)? @@/m.test(text.replace(/\r\n/g, '\n'));
}

function failure(source: SourceText, code: Code, start: number, end: number, message: string): Diagnostic {
  return locate(source, 'error', code, { start, end }, message);
}

/**
 * The kernel cross-check from inputs to report: pick the view of the function
 * the input gives (the file, the patched base, or the hunks alone), analyze
 * it, add the uapi header, and decide whether everything agrees.
 */
export async function crossCheck(model: Model, inputs: KernelInputs): Promise<CrossCheck> {
  const { input, base } = inputs;
  const name = model.c.function;
  const notes: string[] = [];
  let view: CView;
  let mode: KernelReport['mode'];
  const sources: SourceText[] = [input];
  if (!looksLikePatch(input.text)) {
    if (base) return { ok: false, sources, diagnostics: [failure(input, 'VF220', 0, 0, '--base needs a patch as input, but this is not a unified diff')] };
    view = fileView(input);
    mode = 'file';
  } else {
    const [{ hunkTouches, parsePatches }, { hunkFragment }] = await Promise.all([import('./source/patch.js'), import('./source/hunk-view.js')]);
    const parsed = parsePatches(input.text);
    if (!parsed.ok) return { ok: false, sources, diagnostics: [failure(input, 'VF220', parsed.span.start, parsed.span.end, parsed.message)] };
    const touching = parsed.files.filter((f) => f.hunks.some((h) => hunkTouches(h, name)));
    if (touching.length === 0) return { ok: false, sources, diagnostics: [failure(input, 'VF221', 0, 0, `no hunk of this patch touches ${name}()`)] };
    const last = touching[touching.length - 1]!;
    if (parsed.mails > 1 || touching.length > 1) notes.push(`${parsed.mails} mail(s), ${touching.length} of them changing ${name}() (in ${last.newName})`);
    if (base) {
      // Every change the series makes to that file, in order, so later hunks find their context.
      const target = last.newName;
      const series = parsed.files.filter((f) => f.newName === target || f.oldName === target);
      const { applyFilePatches } = await import('./source/apply-patch.js');
      const applied = applyFilePatches(base.text, series, base.path);
      if (!applied.ok) return { ok: false, sources, diagnostics: [failure(input, 'VF222', applied.span.start, applied.span.end, applied.message)] };
      const patched = new SourceText(`${base.path} (patched by ${input.path})`, applied.text);
      sources.push(patched);
      view = fileView(patched);
      mode = 'patch-applied';
      notes.push(`applied ${series.length} file patch(es) of ${target} to ${base.path}`);
    } else {
      const fragment = hunkFragment(input, last, name);
      if (!fragment) return { ok: false, sources, diagnostics: [failure(input, 'VF221', 0, 0, `no hunk of this patch touches ${name}()`)] };
      view = fragment.view;
      mode = 'patch-hunks';
      notes.push(`read without a base: the post-image of ${fragment.hunks.length} hunk(s) of ${last.newName}${last.subject ? ` from "${last.subject}"` : ''}`);
      if (fragment.headingUsed) notes.push(`the hunk header's line \`${last.hunks.find((h) => hunkTouches(h, name))!.heading.trim()}\` is taken as the line above the first hunk`);
    }
  }
  const hunkReader = mode === 'patch-hunks' ? (await import('./bind/hunk-array.js')).readHunkArray : null;
  const analyzed = analyzeView(model, view, hunkReader);
  if (!analyzed.ok) return { ok: false, sources, diagnostics: analyzed.diagnostics };
  let uapi: UapiReport | null = null;
  if (inputs.uapi) {
    sources.push(inputs.uapi);
    const { checkUapi } = await import('./checks/uapi.js');
    const u = checkUapi(model, inputs.uapi);
    if (!u.ok) return { ok: false, sources, diagnostics: u.diagnostics };
    uapi = u.report;
  }
  const { analysis } = analyzed;
  const hunks = mode === 'patch-hunks';
  return {
    ok: true,
    warnings: analyzed.warnings,
    sources,
    report: {
      ok: agrees(analysis, uapi, hunks),
      spec: model.file,
      input: input.path,
      mode,
      function: { name, at: analysis.functionAt },
      notes: [...notes, ...analysis.notes],
      table: analysis.table,
      evaluation: analysis.evaluation,
      comment: analysis.comment,
      uapi,
    },
  };
}

/** Everything agrees: what is hidden or expected (a loop the spec's lookup also never ends) does not count against it. */
function agrees(a: Analysis, uapi: UapiReport | null, hunks: boolean): boolean {
  const t = a.table;
  const f = t.flagsTable;
  const flagsOk = !f || (f.found ? f.differences.length === 0 && f.implicit.length === 0 && f.duplicates.length === 0 && (f.dimension === null || f.dimension === t.dimensions.spec) : hunks || !f.expected);
  // Hunks that show no table leave nothing to disagree with.
  const tableOk = (hunks && !t.found) || (t.found && t.dimensions.agree && t.differences.length === 0 && t.implicit.length === 0 && t.duplicates.length === 0);
  const evalOk = a.evaluation.budget === null && a.evaluation.mismatches.length === 0 && a.evaluation.nonTerminating.every((n) => n.expected);
  return tableOk && flagsOk && evalOk && a.comment.mismatches.length === 0 && (uapi?.mismatches.length ?? 0) === 0;
}
