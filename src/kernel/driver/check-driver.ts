import type { SourceText, Span, Where } from '../../common/source.js';
import type { Code } from '../../diagnostics/codes.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { locate } from '../../diagnostics/diagnostic.js';
import { driverArcs } from '../../analysis/driver-arcs.js';
import type { Pair } from '../../analysis/driver-arcs.js';
import type { Model } from '../../model/model.js';
import { flagWordSet } from '../../model/spelling.js';
import type * as c from '../c/ast.js';
import type { Lexed } from '../c/lex.js';
import { lex } from '../c/lex.js';
import { parseTokens } from '../c/parse.js';
import type { Dispatch } from './arcs.js';
import { readDispatch } from './arcs.js';
import type { ConditionReader } from './conditions.js';
import { readFallback } from './fallback.js';
import { FLAGS_FIELD, flagWords } from './flags.js';
import type { FunctionSite } from './functions.js';
import { assignsFlags, calls, comparesStates, functionSites } from './functions.js';
import type { AdvertisedSet } from './judge.js';
import { arcName, judgeFlagSets } from './judge.js';
import { readLoop } from './loop.js';
import type { Roles } from './operands.js';
import { findRoles } from './operands.js';
import type { DriverReport, DriverVerdict, LoopReport, StepFunctionReport } from './result.js';
import { worst } from './result.js';

/**
 * `vfio-fsm driver` from texts to report: find the step function(s) in the
 * given files, read the arcs their tests select, the flag sets the driver
 * advertises, the fallback after the chain and the set-state loop, and
 * judge the arcs against the spec's required arcs for each flag set. Only
 * the functions that matter are parsed: a whole driver file holds much C
 * the grammar need not read.
 */

export interface DriverInputs {
  readonly sources: readonly SourceText[];
  /** `--function`: the step function, by name. */
  readonly functionName?: string;
  /** `--flags`: the one flag set, when the files that set migration_flags are not given. */
  readonly flags?: number;
}

export type DriverCheck = { ok: true; report: DriverReport; warnings: readonly Diagnostic[] } | { ok: false; diagnostics: readonly Diagnostic[] };

interface FileInfo {
  readonly source: SourceText;
  readonly lexed: Lexed;
  readonly sites: readonly FunctionSite[];
}

interface Located {
  readonly file: FileInfo;
  readonly site: FunctionSite;
}

interface StepFunction extends Located {
  readonly fn: c.FunctionDef;
  readonly roles: Roles;
  readonly dispatch: Dispatch;
}

class Problems {
  readonly errors: Diagnostic[] = [];
  readonly warnings: Diagnostic[] = [];
  error(source: SourceText, code: Code, span: Span, message: string): void {
    this.errors.push(locate(source, 'error', code, span, message));
  }
  warning(source: SourceText, code: Code, span: Span, message: string): void {
    this.warnings.push(locate(source, 'warning', code, span, message));
  }
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

export function checkDriver(model: Model, inputs: DriverInputs): DriverCheck {
  const problems = new Problems();
  try {
    const report = run(model, inputs, problems);
    if (!report || problems.errors.length) return { ok: false, diagnostics: [...problems.errors, ...problems.warnings] };
    return { ok: true, report, warnings: problems.warnings };
  } catch (e) {
    // Conditions and expressions are read recursively, one level per operator written.
    if (!(e instanceof RangeError)) throw e;
    const first = inputs.sources[0];
    if (!first) throw e;
    problems.error(first, 'VF402', { start: 0, end: 0 }, 'an expression is nested too deeply to be read');
    return { ok: false, diagnostics: problems.errors };
  }
}

function run(model: Model, inputs: DriverInputs, problems: Problems): DriverReport | null {
  const files: FileInfo[] = inputs.sources.map((source) => {
    const lexed = lex(source.text);
    return { source, lexed, sites: functionSites(lexed, source.text.length) };
  });
  const first = files[0];
  if (!first) return null;
  const notes: string[] = [];

  const steps = findStepFunctions(model, files, inputs.functionName, problems, notes);
  if (!steps) return null;

  const sets = advertised(model, files, inputs.flags, problems, notes);
  if (!sets) return null;

  const arcs = driverArcs(model);
  const functions = steps.map((step): StepFunctionReport => {
    const { source } = step.file;
    const at = (offset: number): { line: number; column: number } => source.position(offset);
    const handled = step.dispatch.arcs.map((a) => ({ from: model.states[a.from]!.name, to: model.states[a.to]!.name, ...at(a.at) }));
    warnTwice(model, step, problems);
    const pairs = step.dispatch.arcs.map((a): Pair => [a.from, a.to]);
    const fallback = readFallback(step.fn.body, step.dispatch.last);
    const undecided = step.dispatch.undecided.map((u) => ({ ...at(u.at), text: oneLine(source.text.slice(u.span.start, u.span.end)), reason: u.reason }));
    const flagSets = judgeFlagSets(model, arcs, pairs, sets);
    const loop = findLoop(model, files, step, problems, notes);
    const verdict: DriverVerdict = undecided.length ? 'undecided' : flagSets.some((f) => f.missing.length) ? 'missing' : loop?.problems.length ? 'faulty-loop' : 'conform';
    const name = at(step.site.nameSpan.start);
    return {
      name: step.site.name,
      file: source.path,
      line: name.line,
      column: name.column,
      current: step.roles.current,
      requested: step.roles.requested,
      handled,
      flagSets,
      fallback: { kind: fallback.kind, line: fallback.at === null ? null : at(fallback.at).line, warning: fallback.warning, errno: fallback.errno },
      undecided,
      loop,
      verdict,
    };
  });
  return {
    verdict: worst(functions.map((f) => f.verdict)),
    spec: model.file,
    files: files.map((f) => f.source.path),
    flagsGiven: inputs.flags !== undefined,
    functions,
    notes,
  };
}

/** Parses a located function in the drivers' C; reports a syntax error as `code` (an error, or a warning for a function that is only a candidate). */
function parse(at: Located, problems: Problems, severity: 'error' | 'warning', what: string): c.FunctionDef | null {
  const { source } = at.file;
  if (!at.site.complete) {
    const message = `${at.site.name}() has no closing brace${severity === 'warning' ? `; it is not considered as ${what}` : ''}`;
    if (severity === 'error') problems.error(source, 'VF403', at.site.nameSpan, message);
    else problems.warning(source, 'VF410', at.site.nameSpan, message);
    return null;
  }
  let parsed: ReturnType<typeof parseTokens<'FunctionDef'>>;
  try {
    parsed = parseTokens(source.text, at.site.tokens, 'FunctionDef', 'driver');
  } catch (e) {
    // The parser recurses once per level of nesting the text has.
    if (!(e instanceof RangeError)) throw e;
    parsed = { ok: false, error: { code: 'VF251', span: at.site.nameSpan, message: 'C syntax error: nested too deeply to be read' } };
  }
  if (parsed.ok) return parsed.ast;
  if (severity === 'error') problems.error(source, 'VF402', parsed.error.span, `${parsed.error.message} (in ${at.site.name}(), ${what})`);
  else problems.warning(source, 'VF410', parsed.error.span, `${at.site.name}() compares states but cannot be read (${parsed.error.message}); it is not considered as ${what}`);
  return null;
}

function conditionReader(model: Model, roles: Roles, source: SourceText): ConditionReader {
  return { model, roles, text: (span) => oneLine(source.text.slice(span.start, span.end)) };
}

function findStepFunctions(model: Model, files: readonly FileInfo[], name: string | undefined, problems: Problems, notes: string[]): StepFunction[] | null {
  const first = files[0]!;
  if (name !== undefined) {
    const found = files.flatMap((file) => file.sites.filter((s) => s.name === name).map((site) => ({ file, site })));
    const head = found[0];
    if (!head) {
      problems.error(first.source, 'VF401', { start: 0, end: 0 }, `no definition of ${name}() in ${files.map((f) => f.source.path).join(', ')}`);
      return null;
    }
    for (const other of found.slice(1)) problems.warning(other.file.source, 'VF408', other.site.nameSpan, `another definition of ${name}(); only the first (${head.file.source.path}) is read`);
    const fn = parse(head, problems, 'error', 'the step function');
    if (!fn) return null;
    const roles = findRoles(model, fn, true);
    if (!roles) {
      problems.error(head.file.source, 'VF404', head.site.nameSpan, `cannot tell which variable of ${name}() holds the current state and which the requested one: it compares no two of them with the spec's state constants`);
      return null;
    }
    if (roles.how === 'positional') notes.push(`${name}() takes both states as parameters: \`${roles.current}\` is read as the current state, \`${roles.requested}\` as the requested one`);
    return [{ ...head, fn, roles, dispatch: readDispatch(conditionReader(model, roles, head.file.source), fn.body) }];
  }

  const steps: StepFunction[] = [];
  const seen = new Map<string, StepFunction>();
  for (const file of files) {
    for (const site of file.sites) {
      if (!comparesStates(site, model.c.statePrefix)) continue;
      const at = { file, site };
      const fn = parse(at, problems, 'warning', 'a step function');
      if (!fn) continue;
      const roles = findRoles(model, fn, false);
      if (!roles) {
        const positional = findRoles(model, fn, true);
        if (positional) notes.push(`${site.name}() (${file.source.path}:${file.source.position(site.nameSpan.start).line}) tests pairs of states, but takes the current state as a parameter: not taken as a step function (name it with --function to check it)`);
        continue;
      }
      const dispatch = readDispatch(conditionReader(model, roles, file.source), fn.body);
      if (dispatch.arcs.length === 0 && dispatch.undecided.length === 0) continue;
      const twin = seen.get(site.name);
      if (twin) {
        problems.warning(file.source, 'VF408', site.nameSpan, `another definition of ${site.name}(); only the first (${twin.file.source.path}) is read`);
        continue;
      }
      const step = { file, site, fn, roles, dispatch };
      seen.set(site.name, step);
      steps.push(step);
    }
  }
  if (steps.length === 0) {
    const cut = files.find((f) => f.lexed.unterminated);
    if (cut) problems.error(cut.source, 'VF403', cut.lexed.unterminated!, 'unterminated comment or literal: the rest of the file cannot be read');
    problems.error(first.source, 'VF400', { start: 0, end: 0 }, `no step function in ${files.map((f) => f.source.path).join(', ')}: no function compares the device's current state and a requested state with the spec's state constants (${model.c.statePrefix}*); name it with --function`);
    return null;
  }
  return steps;
}

/** The flag sets the driver advertises: --flags, or every path through the assignments to migration_flags. */
function advertised(model: Model, files: readonly FileInfo[], flags: number | undefined, problems: Problems, notes: string[]): AdvertisedSet[] | null {
  const assigning = files.flatMap((file) => file.sites.filter((site) => assignsFlags(site, FLAGS_FIELD)).map((site) => ({ file, site })));
  if (flags !== undefined) {
    if (assigning.length) notes.push(`--flags ${flagWordSet(model, flags)} is used; the assignments to ${FLAGS_FIELD} in ${assigning.map((a) => `${a.site.name}()`).join(', ')} are not read`);
    return [{ word: flags, from: [] }];
  }
  const first = files[0]!;
  if (assigning.length === 0) {
    problems.error(first.source, 'VF405', { start: 0, end: 0 }, `no assignment to ${FLAGS_FIELD} in ${files.map((f) => f.source.path).join(', ')}: give the file that sets it, or the flags with --flags`);
    return null;
  }
  const byWord = new Map<number, Where[]>();
  for (const a of assigning) {
    const fn = parse(a, problems, 'error', `the function that sets ${FLAGS_FIELD}`);
    if (!fn) continue;
    const { source } = a.file;
    const words = flagWords(model, fn, (code, span, message) => problems.error(source, code, span, message));
    for (const w of words) {
      const where = w.from.map((o): Where => ({ file: source.path, ...source.position(o) }));
      byWord.set(w.word, [...(byWord.get(w.word) ?? []), ...where]);
    }
  }
  if (problems.errors.length) return null;
  if (byWord.size === 0) {
    const a = assigning[0]!;
    problems.error(a.file.source, 'VF405', a.site.nameSpan, `no path through ${assigning.map((x) => `${x.site.name}()`).join(', ')} leaves a flag set in ${FLAGS_FIELD}`);
    return null;
  }
  for (const [word] of byWord) {
    if ((word & model.mandatory.bit) === 0) notes.push(`${flagWordSet(model, word)} lacks ${model.mandatory.name}: a device advertising it has no migration, and the core asks for no arc`);
  }
  return [...byWord].map(([word, from]) => ({ word, from }));
}

/** The set-state loop that hands arcs to `step`: a function calling both the core's lookup and the step function. */
function findLoop(model: Model, files: readonly FileInfo[], step: StepFunction, problems: Problems, notes: string[]): LoopReport | null {
  const lookup = model.c.function;
  for (const file of files) {
    for (const site of file.sites) {
      if (site === step.site || !calls(site, lookup) || !calls(site, step.site.name)) continue;
      const fn = parse({ file, site }, problems, 'warning', 'the set-state loop');
      if (!fn) {
        notes.push(`the set-state loop ${site.name}() could not be read`);
        continue;
      }
      const reading = readLoop(fn, lookup, step.site.name);
      if (!reading) continue;
      return { file: file.source.path, function: site.name, line: file.source.position(site.nameSpan.start).line, problems: reading.problems };
    }
  }
  return null;
}

/** An arc tested a second time: the later test is never reached for it (a swapped pair often looks like this). */
function warnTwice(model: Model, step: StepFunction, problems: Problems): void {
  const firstAt = new Map<string, number>();
  const { source } = step.file;
  for (const a of step.dispatch.arcs) {
    const name = arcName(model, [a.from, a.to]);
    const before = firstAt.get(name);
    if (before === undefined) firstAt.set(name, a.at);
    else problems.warning(source, 'VF409', { start: a.at, end: a.at }, `${name} is already selected at line ${source.position(before).line}: this test is never reached for it`);
  }
}
