/**
 * The specs this package ships, by the names commands take
 * (`vfio-fsm check linux-6.2`), with the kernels each describes. The files
 * stay the one source of each spec; test/library/api.test.ts holds this
 * list to the .fsm files under spec/, one entry each, named by file name.
 */
export interface BundledSpec {
  /** The name a command takes instead of a path. */
  readonly name: string;
  /** The spec file, relative to the package root, with forward slashes. */
  readonly path: string;
  /** The kernels it describes, with the commit that brought that form in. */
  readonly kernels: string;
}

export const BUNDLED_SPECS: readonly BundledSpec[] = [
  { name: 'vfio-migration', path: 'spec/vfio-migration.fsm', kernels: 'Linux 7.2 and later (loop fix a26b499b757c)' },
  { name: 'linux-6.2', path: 'spec/history/linux-6.2.fsm', kernels: 'Linux 6.2 to 7.1 (PRE_COPY, 4db52602a607)' },
  { name: 'linux-5.18', path: 'spec/history/linux-5.18.fsm', kernels: 'Linux 5.18 to 6.1 (RUNNING_P2P, 8cb3d83b959b)' },
  { name: 'seed-v6', path: 'spec/history/seed-v6.fsm', kernels: 'none: the RUNNING_P2P patch as posted (V6)' },
  { name: 'v2-protocol', path: 'spec/history/v2-protocol.fsm', kernels: 'Linux 5.18-rc1: the v2 protocol (115dcec65f61)' },
  { name: 'post-copy-draft', path: 'spec/examples/post-copy-draft.fsm', kernels: 'none: an invented POST_COPY state, first draft' },
  { name: 'post-copy', path: 'spec/examples/post-copy.fsm', kernels: 'none: an invented POST_COPY state, fixed' },
];

/** The spec commands use when none is given. */
export const MAINLINE_SPEC = 'vfio-migration';

/**
 * A command-line spec argument without a slash and not ending in `.fsm` is
 * the name of a bundled spec, found in the package whatever the current
 * folder; anything else (and `-`, standard input) is a path.
 */
export function isSpecName(arg: string): boolean {
  return arg !== '-' && arg !== '' && !arg.includes('/') && !arg.includes('\\') && !arg.endsWith('.fsm');
}

export function findBundledSpec(name: string): BundledSpec | undefined {
  return BUNDLED_SPECS.find((s) => s.name === name);
}
