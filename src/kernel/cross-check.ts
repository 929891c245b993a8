import { check } from '../analysis/check.js';
import { failedProperties } from '../analysis/check-summary.js';
import { SourceText } from '../common/source.js';
import type { Code } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { locate } from '../diagnostics/diagnostic.js';
import type { Model } from '../model/model.js';
import type { Analysis, HunkReader } from './analyze.js';
import { analyzeView } from './analyze.js';
import type { ForeignNames } from './bind/names.js';
import { foreignNames } from './bind/names.js';
import type { EraMatch, KernelReport, PatchSection, UapiReport, ViewReport } from './checks/result.js';
import { judge, worst } from './checks/verdict.js';
import type { Reference } from './era.js';
import { equivalent, eraMatch, missingFixes, sameTables } from './era.js';
import type { FilePatch } from './source/patch.js';
import type { CView } from './source/view.js';
import { fileView, where } from './source/view.js';

export type { Reference } from './era.js';

export interface KernelInputs {
  /** A C file, or a patch (unified diff, git format-patch mail, mbox). */
  readonly input: SourceText;
  readonly base?: SourceText;
  readonly uapi?: SourceText;
}

export interface CrossCheckOptions {
  /** The chosen spec's bundled name, when it is one. */
  readonly specName?: string | null;
  /** Specs to say which era the code is (the bundled ones). */
  readonly references?: readonly Reference[];
  /** The comment's warnings count against agreement. */
  readonly strictComment?: boolean;
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

/** A mail (an mbox `From ` line, or mail headers with a subject) rather than C. */
function looksLikeMail(text: string): boolean {
  return /^From \S+/.test(text) || (/^[A-Za-z-]+: /.test(text) && /^Subject: /m.test(text.slice(0, 4000)));
}

function failure(source: SourceText, code: Code, start: number, end: number, message: string): Diagnostic {
  return locate(source, 'error', code, { start, end }, message);
}

/** What every view of one run shares. */
interface Run {
  readonly model: Model;
  readonly options: CrossCheckOptions;
  readonly foreign: ForeignNames;
  readonly references: readonly Reference[];
}

type Viewed = { ok: true; report: ViewReport; warnings: readonly Diagnostic[] } | { ok: false; diagnostics: readonly Diagnostic[] };

interface ViewInput {
  readonly view: CView;
  readonly mode: ViewReport['mode'];
  readonly hunkReader: HunkReader | null;
  readonly uapi: UapiReport | null;
  readonly changedCode: ViewReport['changedCode'];
  readonly notes: readonly string[];
}

/** One view of the function: analysis against the chosen spec, the era it matches, and its verdict. */
function viewReport(run: Run, v: ViewInput): Viewed {
  const { model, options } = run;
  const analyzed = analyzeView(model, v.view, { hunkReader: v.hunkReader, foreign: run.foreign });
  if (!analyzed.ok) return analyzed;
  const a = analyzed.analysis;
  const era = v.mode === 'patch-hunks' ? [] : eraOf(run, v.view, a);
  const matched = run.references.filter((r) => era.some((m) => m.name === r.name));
  const judgement = judge({ ...a, uapi: v.uapi, hunks: v.mode === 'patch-hunks', changedCode: v.changedCode, strictComment: Boolean(options.strictComment) });
  return {
    ok: true,
    warnings: analyzed.warnings,
    report: {
      ...judgement,
      mode: v.mode,
      source: v.view.source.path,
      function: { name: model.c.function, at: a.functionAt },
      notes: [...v.notes, ...a.notes],
      states: { kernelOnly: a.kernelOnly.states, kernelOnlyFlags: a.kernelOnly.flags, specOnly: a.table.missingStates },
      matches: era.map((m) => m.name),
      era,
      missingFixes: missingFixes(matched, options.specName ?? null),
      changedCode: v.changedCode,
      table: a.table,
      evaluation: a.evaluation,
      comment: a.comment,
      uapi: v.uapi,
    },
  };
}

/** The references the code is equivalent to; the chosen spec's own analysis is reused. */
function eraOf(run: Run, view: CView, chosen: Analysis): EraMatch[] {
  const out: EraMatch[] = [];
  for (const ref of run.references) {
    if (ref.model.c.function !== run.model.c.function) continue;
    let a: Analysis | null = chosen;
    if (ref.name !== run.options.specName) {
      const others = run.references.filter((r) => r !== ref).map((r) => r.model);
      // Only whether the code is this era's: tables that differ already say it is not.
      const r = analyzeView(ref.model, view, { hunkReader: null, foreign: foreignNames(ref.model, others), probe: { worthEvaluating: sameTables } });
      a = r.ok ? r.analysis : null;
    }
    if (a && equivalent(a)) out.push(eraMatch(ref, a));
  }
  return out;
}

/**
 * The kernel cross-check from inputs to report: pick the views of the
 * function the input gives (the file; the base as each mail of a series
 * leaves it; or each mail's hunks alone), analyze each against the spec,
 * say which era the code is, add the uapi header (a file, or the mail's own
 * hunks of it), and judge: one verdict per view, the worst of them overall.
 */
export async function crossCheck(model: Model, inputs: KernelInputs, options: CrossCheckOptions = {}): Promise<CrossCheck> {
  const { input, base } = inputs;
  const references = options.references ?? [];
  const run: Run = { model, options, references, foreign: foreignNames(model, references.map((r) => r.model)) };
  const sources: SourceText[] = [input];
  const specCheck = check(model);
  const header = { spec: model.file, specName: options.specName ?? null, input: input.path, specCheck: { ok: specCheck.ok, failed: failedProperties(specCheck) } };

  if (!looksLikePatch(input.text)) {
    if (base) return { ok: false, sources, diagnostics: [failure(input, 'VF220', 0, 0, '--base needs a patch as input, but this is not a unified diff')] };
    if (looksLikeMail(input.text)) return { ok: false, sources, diagnostics: [failure(input, 'VF220', 0, 0, 'this is a mail without a patch (it holds no diff): give the mails of the series that carry the changes')] };
    let uapi: UapiReport | null = null;
    if (inputs.uapi) {
      sources.push(inputs.uapi);
      const u = await uapiFile(model, inputs.uapi);
      if (!u.ok) return { ok: false, sources, diagnostics: u.diagnostics };
      uapi = u.report;
    }
    const viewed = viewReport(run, { view: fileView(input), mode: 'file', hunkReader: null, uapi, changedCode: [], notes: [] });
    if (!viewed.ok) return { ok: false, sources, diagnostics: viewed.diagnostics };
    return { ok: true, sources, warnings: viewed.warnings, report: kernelReport(header, viewed.report, viewed.report.verdict, [], []) };
  }

  const { hunkTouches, parsePatches } = await import('./source/patch.js');
  const parsed = parsePatches(input.text);
  if (!parsed.ok) return { ok: false, sources, diagnostics: [failure(input, 'VF220', parsed.span.start, parsed.span.end, parsed.message)] };
  const { isUapiHeader } = await import('./checks/uapi-hunks.js');
  const name = model.c.function;
  const touchesFunction = (f: FilePatch): boolean => f.hunks.some((h) => hunkTouches(h, name));
  const cTarget = [...parsed.files].reverse().find(touchesFunction)?.newName;
  const mails = Array.from({ length: parsed.mails }, (_, i) => parsed.files.filter((f) => f.mail === i));
  const touching = mails.map((files, i) => ({ mail: i, files, c: files.filter(touchesFunction), uapi: files.filter(isUapiHeader) })).filter((m) => m.c.length || m.uapi.length);
  if (touching.length === 0) return { ok: false, sources, diagnostics: [failure(input, 'VF221', 0, 0, `no hunk of this patch touches ${name}() or the uapi header`)] };

  const sections: PatchSection[] = [];
  const warnings: Diagnostic[] = [];
  const subjectOf = (i: number): string | null => mails[i]?.[0]?.subject ?? null;
  const notes = parsed.mails > 1 ? [`${parsed.mails} mail(s), ${touching.length} of them changing ${name}() or the uapi header`] : [];

  if (base) {
    const { applyFilePatches } = await import('./source/apply-patch.js');
    let text = base.text;
    let header: SourceText | undefined = inputs.uapi;
    for (let i = 0; i < mails.length; i++) {
      const files = mails[i]!;
      const mine = files.filter((f) => cTarget !== undefined && (f.newName === cTarget || f.oldName === cTarget));
      const applied = applyFilePatches(text, mine, base.path);
      if (!applied.ok) return { ok: false, sources, diagnostics: [failure(input, 'VF222', applied.span.start, applied.span.end, applied.message)] };
      text = applied.text;
      const headerPatches = files.filter(isUapiHeader);
      let uapi: UapiReport | null = null;
      if (header && headerPatches.length) {
        const h = applyFilePatches(header.text, headerPatches, header.path);
        if (!h.ok) return { ok: false, sources, diagnostics: [failure(input, 'VF222', h.span.start, h.span.end, h.message)] };
        header = new SourceText(`${inputs.uapi!.path} patched by ${input.path}`, h.text);
      }
      const t = touching.find((m) => m.mail === i);
      if (!t) continue;
      if (header) {
        sources.push(header);
        const u = await uapiFile(model, header);
        if (!u.ok) return { ok: false, sources, diagnostics: u.diagnostics };
        uapi = u.report;
      } else if (t.uapi.length) uapi = await uapiHunks(model, input, t.uapi);
      const patchedName = `${base.path} patched by ${input.path}${touching.length > 1 ? ` up to mail ${i + 1} of ${parsed.mails}` : ''}`;
      const patched = new SourceText(patchedName, text);
      sources.push(patched);
      const view = fileView(patched);
      const already = applied.alreadyApplied.filter((f) => t.c.includes(f));
      const sectionNotes = already.length ? [`already applied? the hunks of ${already.map((f) => f.newName).join(', ')} are in ${base.path} already (they apply in reverse), so it is checked as it is`] : [];
      const viewed = viewReport(run, { view, mode: 'patch-applied', hunkReader: null, uapi, changedCode: [], notes: sectionNotes });
      if (!viewed.ok) return { ok: false, sources, diagnostics: viewed.diagnostics };
      warnings.push(...viewed.warnings);
      sections.push({ ...viewed.report, mail: i + 1, subject: subjectOf(i), uapiOnly: t.c.length === 0, alreadyApplied: already.length > 0 });
    }
  } else {
    const [{ hunkFragment, changedCodeLines }, { readHunkArray }] = await Promise.all([import('./source/hunk-view.js'), import('./bind/hunk-array.js')]);
    for (const t of touching) {
      const uapi = t.uapi.length ? await uapiHunks(model, input, t.uapi) : null;
      const file = t.c[t.c.length - 1];
      const fragment = file ? hunkFragment(input, file, name) : null;
      if (!file || !fragment) {
        sections.push(uapiOnlySection(run, t.mail, subjectOf(t.mail), input, uapi));
        continue;
      }
      const view = fragment.view;
      const sectionNotes = [`read without a base: the post-image of ${fragment.hunks.length} hunk(s) of ${file.newName}${file.subject ? ` from "${file.subject}"` : ''}`];
      if (fragment.headingUsed) sectionNotes.push(`the hunk header's line \`${fragment.hunks[0]!.heading.trim()}\` is taken as the line above the first hunk`);
      const changedCode = changedCodeLines(file, name).map((l) => ({ at: where(fileView(input), { start: l.offset, end: l.offset }), text: l.text }));
      const viewed = viewReport(run, { view, mode: 'patch-hunks', hunkReader: readHunkArray, uapi, changedCode, notes: sectionNotes });
      if (!viewed.ok) return { ok: false, sources, diagnostics: viewed.diagnostics };
      warnings.push(...viewed.warnings);
      sections.push({ ...viewed.report, mail: t.mail + 1, subject: subjectOf(t.mail), uapiOnly: false, alreadyApplied: false });
    }
  }
  const last = sections[sections.length - 1]!;
  // One section per mail when there are several; a single patch is its own report.
  const report = kernelReport(header, last, worst(sections.map((s) => s.verdict)), notes, sections.length > 1 ? sections : []);
  return { ok: true, sources, warnings, report };
}

type Header = Pick<KernelReport, 'spec' | 'specName' | 'input' | 'specCheck'>;

/**
 * The report in the order a reader (and `--json`) meets it: the verdict,
 * what was compared with what, which era the code is, then the checks. For
 * a series the checks are those of the end state, `verdict` the worst mail's.
 */
function kernelReport(h: Header, v: ViewReport, verdict: KernelReport['verdict'], notes: readonly string[], patches: readonly PatchSection[]): KernelReport {
  return {
    verdict,
    ok: verdict === 'agree',
    reasons: patches.length ? [...new Set(patches.flatMap((p) => p.reasons))] : v.reasons,
    unchecked: patches.length ? patches.flatMap((p) => p.unchecked) : v.unchecked,
    spec: h.spec,
    specName: h.specName,
    specCheck: h.specCheck,
    input: h.input,
    mode: v.mode,
    source: v.source,
    function: v.function,
    matches: v.matches,
    era: v.era,
    missingFixes: v.missingFixes,
    states: v.states,
    notes: [...notes, ...v.notes],
    changedCode: v.changedCode,
    table: v.table,
    evaluation: v.evaluation,
    comment: v.comment,
    uapi: v.uapi,
    patches,
  };
}

/** A mail that touches only the uapi header: its hunks' values are the whole of what it shows. */
function uapiOnlySection(run: Run, mail: number, subject: string | null, input: SourceText, uapi: UapiReport | null): PatchSection {
  const judgement = uapi?.mismatches.length ? { verdict: 'disagree' as const, reasons: [`${uapi.mismatches.length} uapi value(s) differ from the spec`], unchecked: [] } : { verdict: 'agree' as const, reasons: [], unchecked: [] };
  const empty = { performed: false, note: 'this mail does not touch the function', inputs: 0, agreed: 0, undetermined: 0, skippedFlagSets: [], nonTerminating: [], mismatches: [], budget: null };
  const table = { name: run.model.c.table, found: false, at: null, dimensions: { kernel: [], spec: run.model.states.length, agree: false }, differences: [], missingStates: [], implicit: [], duplicates: [], flagsTable: null };
  return {
    ...judgement,
    mode: 'patch-hunks',
    source: input.path,
    function: { name: run.model.c.function, at: null },
    notes: ['this mail changes only the uapi header'],
    states: { kernelOnly: [], kernelOnlyFlags: [], specOnly: [] },
    matches: [],
    era: [],
    missingFixes: [],
    changedCode: [],
    table,
    evaluation: empty,
    comment: { found: false, at: null, partial: false, arcs: 0, paths: 0, blocked: 0, warnings: [] },
    uapi,
    mail: mail + 1,
    subject,
    uapiOnly: true,
    alreadyApplied: false,
  };
}

async function uapiFile(model: Model, header: SourceText): Promise<{ ok: true; report: UapiReport } | { ok: false; diagnostics: readonly Diagnostic[] }> {
  const { checkUapi } = await import('./checks/uapi.js');
  return checkUapi(model, header);
}

/** The values the mail's own hunks of the uapi header show, the last patch of it winning. */
async function uapiHunks(model: Model, input: SourceText, files: readonly FilePatch[]): Promise<UapiReport> {
  const { checkUapiHunks } = await import('./checks/uapi-hunks.js');
  return checkUapiHunks(model, input, files[files.length - 1]!).report;
}
