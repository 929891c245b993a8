import type { Where } from '../common/source.js';
import type { Painter } from '../diagnostics/format.js';
import { plain } from '../diagnostics/format.js';
import type { DriverReport, FallbackReport, FlagSetReport, StepFunctionReport } from '../kernel/driver/result.js';
import { flagSetText } from '../model/spelling.js';

/**
 * The driver report, in the layout of the kernel report: a heading per
 * step function, one section per question (arcs handled, flag sets, the
 * fallback, the set-state loop, undecided conditions), findings first,
 * counts always, and a verdict line.
 */
export function driverText(r: DriverReport, paint: Painter = plain): string {
  const out: string[] = [];
  for (const f of r.functions) out.push(...functionText(r, f, paint));
  for (const n of r.notes) out.push(paint.dim(`note: ${n}`));
  out.push(verdictLine(r, paint));
  return out.join('\n');
}

function functionText(r: DriverReport, f: StepFunctionReport, paint: Painter): string[] {
  const out: string[] = [];
  const bad = (s: string): string => paint.red(s);
  out.push(paint.bold(`${f.name}() in ${f.file} (line ${f.line}) against ${r.spec}`));
  out.push(`  current state \`${f.current}\`, requested state \`${f.requested}\``);

  out.push(paint.bold(`arcs handled (${f.handled.length})`));
  const width = Math.max(0, ...f.handled.map((a) => `${a.from} -> ${a.to}`.length));
  for (const a of f.handled) out.push(`  ${`${a.from} -> ${a.to}`.padEnd(width)}  line ${a.line}`);
  if (f.handled.length === 0) out.push('  none');

  out.push(paint.bold(r.flagsGiven ? 'flag set (given with --flags)' : 'flag sets advertised (assignments to migration_flags)'));
  for (const s of f.flagSets) out.push(...flagSetLines(f, s, bad));

  out.push(paint.bold(`fallback after the chain${f.fallback.line === null ? '' : ` (line ${f.fallback.line})`}`));
  out.push(`  ${fallbackText(f.fallback)}`);

  out.push(paint.bold('set-state loop'));
  if (!f.loop) out.push('  not in the given files');
  else {
    const where = `${f.loop.function}()${f.loop.file === f.file ? '' : ` in ${f.loop.file}`} (line ${f.loop.line})`;
    if (f.loop.problems.length === 0) out.push(`  ${where}: asks for arcs until the target is reached, and stops at the first error`);
    else {
      out.push(bad(`  ${where}:`));
      for (const p of f.loop.problems) out.push(bad(`      ${p}`));
    }
  }

  if (f.undecided.length) {
    out.push(paint.yellow(paint.bold(`undecided conditions (${f.undecided.length}): their arcs are not counted above`)));
    for (const u of f.undecided) {
      out.push(paint.yellow(`  line ${u.line}: ${u.text}`));
      out.push(paint.yellow(`      ${u.reason}`));
    }
  }
  return out;
}

function flagSetLines(f: StepFunctionReport, s: FlagSetReport, bad: (s: string) => string): string[] {
  const out: string[] = [];
  const from = s.from.length ? `  (set at ${places(f, s.from)})` : '';
  out.push(`  ${flagSetText(s.flags)}${from}`);
  const lineOf = (arc: string): string => {
    const a = f.handled.find((h) => `${h.from} -> ${h.to}` === arc);
    return a ? ` (line ${a.line})` : '';
  };
  if (s.missing.length === 0) out.push(`    ${s.required.length} arc(s) required: all handled`);
  else {
    out.push(bad(`    ${s.required.length} arc(s) required, ${s.missing.length} missing: the core can ask for them, and the driver would WARN and fail the request`));
    for (const m of s.missing) out.push(bad(`      ${m}`));
  }
  if (s.extra.length) {
    out.push(`    ${s.extra.length} extra: handled, but never requested with these flags`);
    for (const e of s.extra) out.push(`      ${e}${lineOf(e)}: ${s.extraNotes[e] ?? ''}`);
  }
  return out;
}

/** `line 206`, `lines 206 and 213`, or `path:line` for another file than the step function's. */
function places(f: StepFunctionReport, ws: readonly Where[]): string {
  const here = ws.filter((w) => w.file === f.file).map((w) => w.line);
  const there = ws.filter((w) => w.file !== f.file).map((w) => `${w.file}:${w.line}`);
  const lines = here.length === 0 ? [] : here.length === 1 ? [`line ${here[0]}`] : [`lines ${here.slice(0, -1).join(', ')} and ${here[here.length - 1]}`];
  return [...lines, ...there].join(', ');
}

function fallbackText(fb: FallbackReport): string {
  const errno = fb.errno ? `-${fb.errno}` : '';
  switch (fb.kind) {
    case 'warn+einval':
    case 'warn+error':
      return `${fb.warning}(), then ${errno}: an arc the core never asks for warns and fails`;
    case 'error':
      return `${errno} without a warning: an arc the core never asks for fails silently`;
    case 'none':
      return 'no warning and no constant error: an arc the chain does not know is not refused there';
  }
}

function verdictLine(r: DriverReport, paint: Painter): string {
  const missing = r.functions.reduce((n, f) => n + new Set(f.flagSets.flatMap((s) => s.missing)).size, 0);
  const undecided = r.functions.reduce((n, f) => n + f.undecided.length, 0);
  switch (r.verdict) {
    case 'conform':
      return 'driver and spec agree: every arc the core can ask for is handled, under every flag set';
    case 'missing':
      return paint.red(`driver and spec disagree: ${missing} arc(s) the core can ask for are not handled`);
    case 'faulty-loop':
      return paint.red('driver and spec disagree: the set-state loop does not do what the core expects of it');
    case 'undecided':
      return paint.yellow(`inconclusive: ${undecided} condition(s) could not be decided${missing ? `; ${missing} arc(s) are missing from the others` : ''}`);
  }
}

/** The stable `driver --json` shape documented in the README. */
export function driverJson(r: DriverReport) {
  return {
    verdict: r.verdict,
    spec: r.spec,
    files: r.files,
    flagsGiven: r.flagsGiven,
    functions: r.functions.map((f) => ({
      name: f.name,
      file: f.file,
      line: f.line,
      current: f.current,
      requested: f.requested,
      handled: f.handled.map((a) => ({ from: a.from, to: a.to, line: a.line })),
      flagSets: f.flagSets.map((s) => ({
        flags: s.flags,
        from: s.from.map((w) => ({ file: w.file, line: w.line })),
        required: s.required,
        missing: s.missing,
        extra: s.extra,
        extraNotes: s.extraNotes,
      })),
      fallback: f.fallback.kind,
      fallbackLine: f.fallback.line,
      undecided: f.undecided.map((u) => ({ line: u.line, text: u.text, reason: u.reason })),
      loop: f.loop,
      verdict: f.verdict,
    })),
    notes: r.notes,
  };
}
