import { isAbsolute, join } from 'node:path';

/**
 * Where vfio-fsm keeps what it can recompute (validated specs, V8's compiled
 * code, generated files): `$XDG_CACHE_HOME/vfio-fsm`, or `~/.cache/vfio-fsm`
 * where XDG_CACHE_HOME is unset (the XDG default). Null when the cache is off:
 * `--no-cache` on the command line, or VFIO_FSM_NO_CACHE set to anything but
 * empty or `0`. The cache is never required: without it a command only
 * takes longer.
 */
export function cacheFolder(env: Readonly<Record<string, string | undefined>>, args: readonly string[]): string | null {
  if (!cacheWanted(env, args)) return null;
  const xdg = env['XDG_CACHE_HOME'];
  // The XDG spec ignores a relative XDG_CACHE_HOME.
  if (xdg && isAbsolute(xdg)) return join(xdg, 'vfio-fsm');
  const home = env['HOME'];
  return home && isAbsolute(home) ? join(home, '.cache', 'vfio-fsm') : null;
}

/** The environment variable that turns the cache off. */
export const NO_CACHE_ENV = 'VFIO_FSM_NO_CACHE';

function cacheWanted(env: Readonly<Record<string, string | undefined>>, args: readonly string[]): boolean {
  const off = env[NO_CACHE_ENV];
  if (off !== undefined && off !== '' && off !== '0') return false;
  // Arguments after `--` are operands, whatever they look like.
  const end = args.indexOf('--');
  return !(end < 0 ? args : args.slice(0, end)).includes('--no-cache');
}
