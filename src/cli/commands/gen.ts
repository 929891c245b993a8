import { isAbsolute, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CheckResult } from '../../analysis/check.js';
import { check } from '../../analysis/check.js';
import { GEN_MAX_REQUESTS, count, flagSetLimitDiagnostic, flagSetRefusal, genFlagSetLimit } from '../../analysis/flag-space.js';
import type { Painter } from '../../diagnostics/format.js';
import { formatDiagnosticList } from '../../diagnostics/cap.js';
import { formatDiagnostic } from '../../diagnostics/format.js';
import { recordableSpecPath } from '../../emit/header.js';
import { FAILING_SPEC_KINDS, OUTPUT_KINDS, outputPath } from '../../emit/layout.js';
import type { Model } from '../../model/model.js';
import { SourceText } from '../../common/source.js';
import { findBundledSpec, isSpecName } from '../../node/bundled-specs.js';
import { packageRoot } from '../../node/package-root.js';
import { readTextInput } from '../../node/read-input.js';
import { unknownSpecName } from '../../node/spec-files.js';
import { outputsCached } from '../cache/outputs-cache.js';
import { compileSpecCached } from '../cache/spec-cache.js';
import { EXIT, painter } from '../console.js';
import { DEFAULT_SPEC, SPEC_HELP } from '../default-spec.js';
import { maxFlagSetsOption, parseMaxFlagSets } from '../flag-set-limit.js';
import type { GenFs } from '../gen-fs.js';
import { FolderError, nodeFs } from '../gen-fs.js';
import type { ScannedFile } from '../generated-files.js';
import { displayPath, holdsText, inspectTarget, readOurs, relativePath, scanGenerated } from '../generated-files.js';
import { checkOutFolder } from '../out-folder.js';
import type { PlannedWrite } from '../write-set.js';
import { deferSignals, writeSet } from '../write-set.js';
import type { SkeletonOptions } from './gen-skeleton.js';
import { checkSkeletonOptions, runDriverSkeleton } from './gen-skeleton.js';

export const DEFAULT_OUT = 'generated';

export interface GenOptions {
  /** Specs as given (bundled names or paths); empty means the mainline spec plus every spec named in a header under `out`. */
  readonly specs: readonly string[];
  /** The output folder as given; undefined means `generated/`, allowed only for bundled specs in the package's own folder. */
  readonly out: string | undefined;
  /** Write nothing; print a diff for each stale or missing file. */
  readonly check: boolean;
  /** The directory spec paths and the headers' spec paths are relative to. */
  readonly cwd: string;
  /** Refuse (VF100) a spec with more flag sets than this to check; default 2^20. */
  readonly maxFlagSets?: number;
  /** The file system; a stand-in in tests. */
  readonly fs?: GenFs;
  /** Where this package lives (its spec/ folder); found from the module by default. */
  readonly packageRoot?: string;
}

export interface GenIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly paint: Painter;
  /** Shows how far generation got once it has taken `afterMs`, in place (`show(null)` clears it); given only when stderr is a terminal. */
  readonly progress?: { readonly afterMs: number; readonly show: (text: string | null) => void };
}

export function registerGen(program: Command): void {
  const command = program
    .command('gen')
    .description('generate the TypeScript module, kernel C, JSON, diagrams and Promela model of checked specs (only the Promela model of a failing spec)')
    .argument('[spec...]', `the specs to generate from: ${SPEC_HELP} (default: the mainline spec and every spec named in a header under --out)`)
    .option('--out <dir>', `the folder to write into (default: ${DEFAULT_OUT}/, only for bundled specs, run in the vfio-fsm repository itself)`)
    .option('--check', 'write nothing; print a diff for each stale or missing file and exit 1 if there is any')
    // The driver skeleton (issue 12) lives in gen-skeleton.ts.
    .option('--driver-skeleton', "print a driver's migration skeleton for --flags on standard output (writes nothing)")
    .option('--flags <names>', 'with --driver-skeleton: the flags the driver advertises, e.g. P2P,PRE_COPY (the mandatory flag is always added)')
    .option('--spec <spec>', `with --driver-skeleton: the spec, ${SPEC_HELP} (default ${DEFAULT_SPEC})`);
  maxFlagSetsOption(command).action(async (specs: string[], opts: { out?: string; check?: boolean; maxFlagSets?: string } & SkeletonOptions) => {
    checkSkeletonOptions(opts);
    if (opts.driverSkeleton) {
      process.exitCode = await runDriverSkeleton(specs, { ...opts, out: opts.out ?? DEFAULT_OUT }, DEFAULT_OUT);
      return;
    }
    const maxFlagSets = parseMaxFlagSets(opts.maxFlagSets);
    const io: GenIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), paint: painter(process.stdout), ...(process.stderr.isTTY ? { progress: { afterMs: 1000, show: terminalProgress() } } : {}) };
    process.exitCode = await runGen({ specs, out: opts.out, check: Boolean(opts.check), cwd: process.cwd(), maxFlagSets }, io);
  });
}

/** One line of stderr, rewritten in place, and cleared at the end. */
function terminalProgress(): (text: string | null) => void {
  let shown = false;
  return (text) => {
    if (text === null && !shown) return;
    process.stderr.write(text === null ? '\r\u001b[K' : `\r\u001b[K${text.slice(0, Math.max(20, (process.stderr.columns || 80) - 1))}`);
    shown = text !== null;
  };
}

interface Planned {
  readonly spec: string;
  /** Absolute. */
  readonly path: string;
  readonly text: string;
}

/** A spec to generate from: what its headers record, and the file it is read from. */
interface SpecToGenerate {
  readonly recorded: string;
  readonly file: string;
}

/**
 * The whole of `vfio-fsm gen`: check the output folder, load and check every
 * spec, generate all files in memory, and only then compare or write.
 * Nothing is written unless every spec checks and every target is either
 * missing or a file of ours; then the whole set is switched at once (see
 * write-set.ts). Every file-system problem is one line and exit 2.
 */
export async function runGen(options: GenOptions, io: GenIo): Promise<number> {
  try {
    return await generate(options, io);
  } catch (e) {
    if (!(e instanceof FolderError)) throw e;
    io.err(`vfio-fsm gen: ${e.message}\n`);
    return EXIT.unreadable;
  }
}

async function generate(options: GenOptions, io: GenIo): Promise<number> {
  const fs = options.fs ?? nodeFs;
  const root = options.packageRoot ?? packageRoot();
  const show = (path: string): string => displayPath(options.cwd, path);
  const atRoot = samePlace(options.cwd, root, fs);

  if (options.out === undefined) {
    const elsewhere = options.specs.filter((given) => !isBundled(given, options.cwd, root));
    if (!atRoot || elsewhere.length) {
      io.err(
        `vfio-fsm gen: say where to write with --out DIR (${DEFAULT_OUT}/ is the default only for bundled specs, in the vfio-fsm repository itself` +
          (atRoot ? `, and ${elsewhere.join(', ')} ${elsewhere.length === 1 ? 'is' : 'are'} not bundled)` : ')') +
          '\n',
      );
      return EXIT.unreadable;
    }
  }
  const out = options.out ?? DEFAULT_OUT;
  const outDir = resolve(options.cwd, out);
  const folder = checkOutFolder(outDir, show, fs, !options.check);
  const scanned = folder.exists ? scanGenerated(outDir, fs) : [];
  const requested = options.specs.length ? options.specs : [DEFAULT_SPEC, ...scanned.flatMap((f) => (f.spec ? [f.spec] : [])).sort()];
  /** Where a spec came from when no spec was given: the first file whose header names it. */
  const namedBy = new Map<string, string>();
  if (!options.specs.length) for (const f of scanned) if (f.spec && !namedBy.has(f.spec)) namedBy.set(f.spec, f.path);

  const specs: SpecToGenerate[] = [];
  for (const given of requested) {
    if (given === '-') {
      io.err('vfio-fsm gen: a spec must be a file, not standard input: the headers record where each file came from\n');
      return EXIT.unreadable;
    }
    const spec = toGenerate(given, options.cwd, atRoot, root);
    if (!spec) {
      io.err(`${formatDiagnostic(unknownSpecName(given), undefined, io.paint)}\n`);
      return EXIT.unreadable;
    }
    if (!recordableSpecPath(spec.recorded)) {
      io.err(`vfio-fsm gen: the spec path ${JSON.stringify(spec.recorded)} cannot be recorded in a header (it holds a quote, backslash, tab, line break, "*/", "-->" or "—")\n`);
      return EXIT.unreadable;
    }
    if (!specs.some((s) => s.recorded === spec.recorded)) specs.push(spec);
  }

  const loaded: { model: Model; result: CheckResult; source: SourceText }[] = [];
  let exit: number = EXIT.ok;
  for (const spec of specs) {
    const { model, source } = load(spec, io);
    if (!model || !source) {
      const by = namedBy.get(spec.recorded);
      if (by) io.err(`vfio-fsm gen: ${spec.recorded} is named in the header of ${show(by)}\n`);
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
      io.err(`vfio-fsm gen: note: ${spec.recorded} does not pass the check (${n} violation${n === 1 ? '' : 's'}); only its Promela model is generated, for check --oracle spin\n`);
    }
    loaded.push({ model, result, source });
  }
  if (exit !== EXIT.ok) return exit;

  // Before the costly part (the TypeScript printer, Graphviz): a file in the way stops a write at once.
  if (!options.check) {
    const targets = loaded.flatMap(({ model, result }) => (result.ok ? OUTPUT_KINDS : FAILING_SPEC_KINDS).map((kind) => resolve(outDir, outputPath(model.file, kind))));
    if (refuseForeign(targets, show, io, fs)) return EXIT.fails;
  }

  const planned: Planned[] = [];
  try {
    const { generateOutputs } = await import('../../emit/outputs.js');
    const started = performance.now();
    for (const [i, { model, result, source }] of loaded.entries()) {
      // Only what takes a while says how far it got (a cold cache: ts-morph, prettier and Graphviz load, seconds).
      if (io.progress && performance.now() - started >= io.progress.afterMs) io.progress.show(`vfio-fsm gen: generating from ${model.file} (${i + 1} of ${loaded.length})`);
      for (const file of await outputsCached(source, options.maxFlagSets, () => generateOutputs(model, result))) {
        const path = resolve(outDir, file.path);
        const clash = planned.find((p) => p.path === path);
        if (clash) {
          io.progress?.show(null);
          io.err(`vfio-fsm gen: ${clash.spec} and ${model.file} would both write ${show(path)}; generate them into different --out directories\n`);
          return EXIT.unreadable;
        }
        planned.push({ spec: model.file, path, text: file.text });
      }
    }
  } catch (e) {
    io.progress?.show(null);
    const { EmitError } = await import('../../emit/emit-error.js');
    if (!(e instanceof EmitError)) throw e;
    io.err(`vfio-fsm gen: ${e.message}\n`);
    return EXIT.unreadable;
  }

  io.progress?.show(null);
  // A file of ours whose spec was generated now but which that spec no longer produces.
  const recorded = specs.map((s) => s.recorded);
  const orphans = scanned.filter((f) => f.spec !== undefined && recorded.includes(f.spec) && !planned.some((p) => p.path === f.path));
  return options.check ? compare(show, planned, orphans, io, fs) : write(show, planned, orphans, io, fs);
}

/**
 * What a spec argument stands for. A bundled spec's headers record its path
 * when gen runs in the package's own folder (`spec/history/linux-6.2.fsm`, as
 * the committed files have it) and its name anywhere else, so that
 * `gen --check` reads each header back to the same spec from that folder.
 * A path is recorded relative to the working directory.
 */
function toGenerate(given: string, cwd: string, atRoot: boolean, root: string): SpecToGenerate | undefined {
  if (!isSpecName(given)) {
    const file = resolve(cwd, given);
    return { recorded: relativePath(cwd, file), file };
  }
  const bundled = findBundledSpec(given);
  if (!bundled) return undefined;
  const file = resolve(root, bundled.path);
  return { recorded: atRoot ? bundled.path : bundled.name, file };
}

/** A bundled spec by name, or a path to a file in the package's spec/ folder. */
function isBundled(given: string, cwd: string, root: string): boolean {
  if (isSpecName(given)) return findBundledSpec(given) !== undefined;
  const rel = relativePath(resolve(root, 'spec'), resolve(cwd, given));
  return !rel.startsWith('../') && rel !== '..' && !isAbsolute(rel);
}

/** Do two paths name the same folder (through symbolic links too)? */
function samePlace(a: string, b: string, fs: GenFs): boolean {
  if (resolve(a) === resolve(b)) return true;
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return false;
  }
}

function load(spec: SpecToGenerate, io: GenIo): { model?: Model; source?: SourceText } {
  const read = readTextInput(spec.file);
  if (!read.ok) {
    io.err(`${formatDiagnostic({ ...read.diagnostic, file: spec.recorded }, undefined, io.paint)}\n`);
    return {};
  }
  const source = new SourceText(spec.recorded, read.source.text);
  const loaded = compileSpecCached(source);
  for (const line of formatDiagnosticList(loaded.ok ? loaded.warnings : loaded.diagnostics, source, io.paint)) io.err(`${line}\n`);
  return loaded.ok ? { model: loaded.model, source } : { source };
}

/** A file of ours larger than this many times what gen makes is stale for sure, and not read to show a diff. */
const DIFF_READ_FACTOR = 16;
const DIFF_READ_FLOOR = 1024 * 1024;

async function compare(show: (path: string) => string, planned: readonly Planned[], orphans: readonly ScannedFile[], io: GenIo, fs: GenFs): Promise<number> {
  const { createTwoFilesPatch } = await import('diff');
  let stale = 0;
  for (const p of planned) {
    const shown = show(p.path);
    const target = inspectTarget(p.path, show, fs);
    if (target.kind === 'foreign') {
      io.out(`${shown} ${target.why}: gen would refuse to overwrite it\n`);
      stale++;
      continue;
    }
    if (target.kind === 'ours' && holdsText(p.path, target.size, p.text, show, fs)) continue;
    stale++;
    const bytes = Buffer.byteLength(p.text, 'utf8');
    const before = target.kind === 'ours' ? readOurs(p.path, target.size, Math.max(DIFF_READ_FLOOR, DIFF_READ_FACTOR * bytes), show, fs) : '';
    if (before === undefined && target.kind === 'ours') {
      io.out(`${shown} is stale: it is ${target.size} bytes, where gen makes ${bytes}; too large to show a diff\n`);
      continue;
    }
    io.out(createTwoFilesPatch(shown, shown, before ?? '', p.text, target.kind === 'missing' ? 'missing' : 'on disk', `generated from ${p.spec}`));
  }
  for (const o of orphans) {
    io.out(`${show(o.path)} names ${o.spec} in its header, but ${o.spec} no longer generates it: delete it\n`);
    stale++;
  }
  if (stale) {
    io.err(`vfio-fsm gen --check: ${stale} of ${planned.length} generated files are stale, missing or in the way; run vfio-fsm gen\n`);
    return EXIT.fails;
  }
  io.out(`${planned.length} generated files are up to date\n`);
  return EXIT.ok;
}

/** Says which of `paths` gen must not overwrite, if any, and whether there were any. */
function refuseForeign(paths: readonly string[], show: (path: string) => string, io: GenIo, fs: GenFs): boolean {
  const refused = paths.flatMap((path) => {
    const target = inspectTarget(path, show, fs);
    return target.kind === 'foreign' ? [`${show(path)} ${target.why}`] : [];
  });
  for (const r of refused) io.err(`vfio-fsm gen: ${r}; it was not written by vfio-fsm, so it is left alone\n`);
  if (refused.length) io.err('vfio-fsm gen: nothing written; move those files away or choose another --out\n');
  return refused.length > 0;
}

async function write(show: (path: string) => string, planned: readonly Planned[], orphans: readonly ScannedFile[], io: GenIo, fs: GenFs): Promise<number> {
  if (refuseForeign(planned.map((p) => p.path), show, io, fs)) return EXIT.fails;
  const targets = planned.map((p) => ({ p, target: inspectTarget(p.path, show, fs) }));
  // Unchanged files are not touched.
  const writes: PlannedWrite[] = targets.flatMap(({ p, target }) =>
    target.kind === 'ours' && holdsText(p.path, target.size, p.text, show, fs) ? [] : [{ path: p.path, text: p.text, replaces: target.kind === 'ours' }],
  );
  const outcome = await deferSignals(() => writeSet(writes, show, fs));
  if (!outcome.ok) {
    io.err(`vfio-fsm gen: ${outcome.message}\n`);
    return EXIT.unreadable;
  }
  for (const w of writes) io.out(`wrote ${show(w.path)}\n`);
  for (const o of orphans) io.err(`vfio-fsm gen: warning: ${show(o.path)} names ${o.spec}, which no longer generates it; delete it if it is stale\n`);
  io.out(`${writes.length} written, ${planned.length - writes.length} unchanged\n`);
  return EXIT.ok;
}
