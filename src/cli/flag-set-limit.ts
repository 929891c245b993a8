import type { Command } from 'commander';
import { DEFAULT_MAX_FLAG_SETS, MAX_MAX_FLAG_SETS, count, flagSetLimitDiagnostic, flagSetRefusal } from '../analysis/flag-space.js';
import { byPosition } from '../diagnostics/diagnostic.js';
import type { Loaded } from './load-spec.js';
import { reportLoadFailure } from './load-spec.js';
import { UsageError } from './usage-error.js';

/** Adds `--max-flag-sets <n>` to a command that enumerates flag sets. */
export function maxFlagSetsOption(command: Command): Command {
  return command.option(
    '--max-flag-sets <n>',
    `refuse (exit 2) a spec with more flag sets than this to check one by one, after flags nothing mentions are set aside (default ${count(DEFAULT_MAX_FLAG_SETS)}, at most ${count(MAX_MAX_FLAG_SETS)})`,
  );
}

/** The option's value as a number; a usage error (exit 2) for anything but a whole number in range. */
export function parseMaxFlagSets(text: string | undefined): number {
  if (text === undefined) return DEFAULT_MAX_FLAG_SETS;
  const n = /^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_MAX_FLAG_SETS) {
    throw new UsageError(`--max-flag-sets must be a whole number from 1 to ${MAX_MAX_FLAG_SETS}, not \`${text}\``);
  }
  return n;
}

/**
 * Whether a loaded spec's flag sets fit the limit. If not, reports VF100 the
 * way a spec that does not load is reported (text on stderr, or JSON on
 * stdout) and returns false: the caller exits 2.
 */
export function withinFlagSetLimit(loaded: Extract<Loaded, { ok: true }>, maxFlagSets: number, json: boolean): boolean {
  const refusal = flagSetRefusal(loaded.model, maxFlagSets);
  if (!refusal) return true;
  const diagnostic = flagSetLimitDiagnostic(loaded.source, loaded.model, refusal);
  const diagnostics = [...loaded.warnings, diagnostic].sort(byPosition);
  reportLoadFailure({ ok: false, path: loaded.model.file, source: loaded.source, diagnostics }, json);
  return false;
}
