/**
 * What the build (src/cli/build/bundle.ts) leaves beside the launcher (bin.ts), and
 * how the launcher wraps the bundled program: shared by both.
 */

/** launch.json. */
export interface LaunchData {
  readonly version: string;
  /** Names this build: a hash of the bundle, the grammar recipes and the version. Every cache entry is keyed by it. */
  readonly buildId: string;
  /** Arguments (joined by NUL) whose whole answer is a text on standard output and exit 0: an index into `texts`. */
  readonly quick: Readonly<Record<string, number>>;
  readonly texts: readonly string[];
}

export const LAUNCH_FILE = 'launch.json';
export const BUNDLE_FILE = 'vfio-fsm.bundle.cjs';
export const LAUNCHER_FILE = 'vfio-fsm.cjs';

/** The bundle's module scope, as Node's CommonJS loader gives a module's, and the import() its external modules are loaded through. */
export const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname, __vfioImport) {';
export const WRAPPER_TAIL = '\n})';
/** The name the bundle calls import() by (src/cli/build/bundle.ts rewrites its import() of external modules to it). */
export const IMPORT_NAME = '__vfioImport';
