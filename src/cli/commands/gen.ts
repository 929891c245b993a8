import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CheckResult } from '../../analysis/check.js';
import { check } from '../../analysis/check.js';
import { GEN_MAX_REQUESTS, count, flagSetLimitDiagnostic, flagSetRefusal, genFlagSetLimit } from '../../analysis/flag-space.js';
import type { Painter } from '../../diagnostics/format.js';
import { formatDiagnosticList } from '../../diagnostics/cap.js';
import { formatDiagnostic } from '../../diagnostics/format.js';
import { recordableSpecPath } from '../../emit/header.js';
import { compileSpec } from '../../model/front-end.js';
import type { Model } from '../../model/model.js';
import { SourceText } from '../../common/source.js';
import { EXIT, painter } from '../console.js';
import { displayPath, inspectTarget, relativePath, scanGenerated, writeFileAtomic } from '../generated-files.js';
import { maxFlagSetsOption, parseMaxFlagSets } from '../flag-set-limit.js';
import { readTextInput } from '../read-input.js';
import { DEFAULT_SPEC } from '../default-spec.js';
import type { SkeletonOptions } from './gen-skeleton.js';
import { checkSkeletonOptions, runDriverSkeleton } from './gen-skeleton.js';

export const DEFAULT_OUT = 'generated';

export interface GenOptions {
  /** Specs as given; empty means the mainline spec plus every spec named in a header under `out`. */
  readonly specs: readonly string[];
  readonly out: string;
  /** Write nothing; print a diff for each stale or missing file. */
  readonly check: boolean;
  /** The directory spec paths and the headers' spec paths are relative to. */
  readonly cwd: string;
  /** Refuse (VF100) a spec with more flag sets than this to check; default 2^20. */
  readonly maxFlagSets?: number;
}

export interface GenIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly paint: Painter;
}

export function registerGen(program: Command): void {
  const command = program
    .command('gen')
    .description('generate the TypeScript module, kernel C, JSON, diagrams and Promela model of checked specs (only the Promela model of a failing spec)')
    .argument('[spec...]', 'the .fsm files to generate from (default: the mainline spec and every spec named in a header under --out)')
    .option('--out <dir>', 'the directory to write into', DEFAULT_OUT)
    .option('--check', 'write nothing; print a diff for each stale or missing file and exit 1 if there is any')
    // The driver skeleton (issue 12) lives in gen-skeleton.ts.
    .option('--driver-skeleton', "print a driver's migration skeleton for --flags on standard output (writes nothing)")
    .option('--flags <names>', 'with --driver-skeleton: the flags the driver advertises, e.g. P2P,PRE_COPY (the mandatory flag is always added)')
    .option('--spec <file>', `with --driver-skeleton: the spec (default ${DEFAULT_SPEC})`);
  maxFlagSetsOption(command).action(async (specs: string[], opts: { out: string; check?: boolean; maxFlagSets?: string } & SkeletonOptions) => {
    checkSkeletonOptions(opts);
    if (opts.driverSkeleton) {
      process.exitCode = await runDriverSkeleton(specs, opts, DEFAULT_OUT);
      return;
    }
    const maxFlagSets = parseMaxFlagSets(opts.maxFlagSets);
    const io: GenIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), paint: painter(process.stdout) };
    process.exitCode = await runGen({ specs, out: opts.out, check: Boolean(opts.check), cwd: process.cwd(), maxFlagSets }, io);
  });
}

interface Planned {
  readonly spec: string;
  /** Absolute. */
  readonly path: string;
  readonly text: string;
}

/**
 * The whole of `vfio-fsm gen`: load and check every spec, generate all files
 * in memory, and only then compare or write. Nothing is written unless every
 * spec checks and every target is either missing or a file of ours.
 */
export async function runGen(options: GenOptions, io: GenIo): Promise<number> {
  const outDir = resolve(options.cwd, options.out);
  if (exists(outDir) && !statSync(outDir).isDirectory()) {
    io.err(`vfio-fsm gen: ${options.out} is not a directory\n`);
    return EXIT.unreadable;
  }
  const scanned = scanGenerated(outDir);
  const requested = options.specs.length ? options.specs : [DEFAULT_SPEC, ...scanned.flatMap((f) => (f.spec ? [f.spec] : [])).sort()];
  /** Where a spec came from when no spec was given: the first file whose header names it. */
  const namedBy = new Map<string, string>();
  if (!options.specs.length) for (const f of scanned) if (f.spec && !namedBy.has(f.spec)) namedBy.set(f.spec, f.path);

  // Spec paths are recorded in headers relative to the working directory.
  const specs: string[] = [];
  for (const given of requested) {
    if (given === '-') {
      io.err('vfio-fsm gen: a spec must be a file, not standard input: the headers record where each file came from\n');
      return EXIT.unreadable;
    }
    const spec = relativePath(options.cwd, resolve(options.cwd, given));
    if (!recordableSpecPath(spec)) {
      io.err(`vfio-fsm gen: the spec path ${JSON.stringify(spec)} cannot be recorded in a header (it holds a quote, backslash, tab, line break, "*/", "-->" or "—")\n`);
      return EXIT.unreadable;
    }
    if (!specs.includes(spec)) specs.push(spec);
  }

  const loaded: { model: Model; result: CheckResult }[] = [];
  let exit: number = EXIT.ok;
  for (const spec of specs) {
    const { model, source } = load(options.cwd, spec, io);
    if (!model || !source) {
      const by = namedBy.get(spec);
      if (by) io.err(`vfio-fsm gen: ${spec} is named in the header of ${displayPath(options.cwd, by)}\n`);
      exit = EXIT.unreadable;
      continue;
    }
    // Stricter than check's: the generated JSON lists every request of every flag set.
    const refusal = flagSetRefusal(model, genFlagSetLimit(model, options.maxFlagSets));
    if (refusal) {
      const remedy = `gen writes every request of every flag set (at most ${count(GEN_MAX_REQUESTS)} with ${model.states.length} states); split the spec`;
      for (const line of formatDiagnosticList([flagSetLimitDiagnostic(source, model, refusal, undefined, remedy)], source, io.paint)) io.err(`${line}\n`);
      exit = EXIT.unreadable;
      continue;
    }
    const result = check(model, { maxFlagSets: options.maxFlagSets });
    // A failing spec still gets its Promela model: the SPIN oracle must find its violations too.
    if (!result.ok) {
      const n = result.violations.length;
      io.err(`vfio-fsm gen: note: ${spec} does not pass the check (${n} violation${n === 1 ? '' : 's'}); only its Promela model is generated, for check --oracle spin\n`);
    }
    loaded.push({ model, result });
  }
  if (exit !== EXIT.ok) return exit;

  const planned: Planned[] = [];
  try {
    const { generateOutputs } = await import('../../emit/outputs.js');
    for (const { model, result } of loaded) {
      for (const file of await generateOutputs(model, result)) {
        const path = resolve(outDir, file.path);
        const clash = planned.find((p) => p.path === path);
        if (clash) {
          io.err(`vfio-fsm gen: ${clash.spec} and ${model.file} would both write ${displayPath(options.cwd, path)}; generate them into different --out directories\n`);
          return EXIT.unreadable;
        }
        planned.push({ spec: model.file, path, text: file.text });
      }
    }
  } catch (e) {
    const { EmitError } = await import('../../emit/emit-error.js');
    if (!(e instanceof EmitError)) throw e;
    io.err(`vfio-fsm gen: ${e.message}\n`);
    return EXIT.unreadable;
  }

  // A file of ours whose spec was generated now but which that spec no longer produces.
  const orphans = scanned.filter((f) => f.spec !== undefined && specs.includes(f.spec) && !planned.some((p) => p.path === f.path));
  return options.check ? compare(options.cwd, planned, orphans, io) : write(options.cwd, planned, orphans, io);
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function load(cwd: string, spec: string, io: GenIo): { model?: Model; source?: SourceText } {
  const read = readTextInput(resolve(cwd, spec));
  if (!read.ok) {
    io.err(`${formatDiagnostic({ ...read.diagnostic, file: spec }, undefined, io.paint)}\n`);
    return {};
  }
  const source = new SourceText(spec, read.source.text);
  const { model, diagnostics } = compileSpec(source);
  for (const line of formatDiagnosticList(diagnostics, source, io.paint)) io.err(`${line}\n`);
  return { model, source };
}

async function compare(cwd: string, planned: readonly Planned[], orphans: readonly { path: string; spec: string | undefined }[], io: GenIo): Promise<number> {
  const { createTwoFilesPatch } = await import('diff');
  let stale = 0;
  for (const p of planned) {
    const shown = displayPath(cwd, p.path);
    const target = inspectTarget(p.path);
    if (target.kind === 'foreign') {
      io.out(`${shown} ${target.why}: gen would refuse to overwrite it\n`);
      stale++;
      continue;
    }
    const before = target.kind === 'ours' ? target.text : '';
    if (before === p.text) continue;
    stale++;
    io.out(createTwoFilesPatch(shown, shown, before, p.text, target.kind === 'missing' ? 'missing' : 'on disk', `generated from ${p.spec}`));
  }
  for (const o of orphans) {
    io.out(`${displayPath(cwd, o.path)} names ${o.spec} in its header, but ${o.spec} no longer generates it: delete it\n`);
    stale++;
  }
  if (stale) {
    io.err(`vfio-fsm gen --check: ${stale} of ${planned.length} generated files are stale, missing or in the way; run vfio-fsm gen\n`);
    return EXIT.fails;
  }
  io.out(`${planned.length} generated files are up to date\n`);
  return EXIT.ok;
}

function write(cwd: string, planned: readonly Planned[], orphans: readonly { path: string; spec: string | undefined }[], io: GenIo): number {
  const refused = planned.flatMap((p) => {
    const target = inspectTarget(p.path);
    return target.kind === 'foreign' ? [`${displayPath(cwd, p.path)} ${target.why}`] : [];
  });
  if (refused.length) {
    for (const r of refused) io.err(`vfio-fsm gen: ${r}; it was not written by vfio-fsm, so it is left alone\n`);
    io.err('vfio-fsm gen: nothing written; move those files away or choose another --out\n');
    return EXIT.fails;
  }
  let written = 0;
  for (const p of planned) {
    const target = inspectTarget(p.path);
    if (target.kind === 'ours' && target.text === p.text) continue;
    try {
      mkdirSync(dirname(p.path), { recursive: true });
      writeFileAtomic(p.path, p.text);
    } catch (e) {
      io.err(`vfio-fsm gen: cannot write ${displayPath(cwd, p.path)}: ${(e as Error).message}\n`);
      return EXIT.unreadable;
    }
    written++;
    io.out(`wrote ${displayPath(cwd, p.path)}\n`);
  }
  for (const o of orphans) io.err(`vfio-fsm gen: warning: ${displayPath(cwd, o.path)} names ${o.spec}, which no longer generates it; delete it if it is stale\n`);
  io.out(`${written} written, ${planned.length - written} unchanged\n`);
  return EXIT.ok;
}
