import { EXIT } from '../console.js';
import { deviceFlags } from '../device-flags.js';
import { loadSpecOrReport } from '../load-spec.js';
import { DEFAULT_SPEC } from '../default-spec.js';
import { UsageError } from '../usage-error.js';

export interface SkeletonOptions {
  readonly driverSkeleton?: boolean;
  readonly flags?: string;
  readonly spec?: string;
  readonly out?: string;
  readonly check?: boolean;
}

/**
 * `gen --driver-skeleton --flags A,B [--spec S]`: print a driver's migration
 * skeleton for that flag set on standard output; nothing is written. Kept
 * apart from gen.ts, whose job is the generated files.
 */
export async function runDriverSkeleton(specs: readonly string[], opts: SkeletonOptions, defaultOut: string): Promise<number> {
  if (specs.length) throw new UsageError('gen --driver-skeleton takes its spec with --spec, not as an argument');
  if (opts.check || opts.out !== defaultOut) throw new UsageError('gen --driver-skeleton prints the skeleton and writes nothing: --out and --check do not apply');
  const loaded = loadSpecOrReport(opts.spec ?? DEFAULT_SPEC, false);
  if (!loaded) return EXIT.unreadable;
  const { model } = loaded;
  const { word, notes } = deviceFlags(model, opts.flags);
  const { driverSkeleton } = await import('../../emit/driver-skeleton.js');
  for (const n of notes) process.stderr.write(`vfio-fsm gen: note: ${n}\n`);
  process.stdout.write(driverSkeleton(model, word));
  return EXIT.ok;
}

/** The options of gen that only the skeleton uses, refused without --driver-skeleton. */
export function checkSkeletonOptions(opts: SkeletonOptions): void {
  if (opts.driverSkeleton) return;
  if (opts.flags !== undefined || opts.spec !== undefined) throw new UsageError('--flags and --spec belong to gen --driver-skeleton');
}
