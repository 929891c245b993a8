/**
 * The specs this package ships, by the names commands take
 * (`vfio-fsm check linux-6.2`): what each describes, and the changes that
 * lead from its era to a later one (so that a kernel matching an older era
 * can be told which fix it lacks). The files stay the one source of each
 * spec; test/library/api.test.ts holds this list to the .fsm files under
 * spec/, one entry each, named by file name.
 */
export interface BundledSpec {
  /** The name a command takes instead of a path. */
  readonly name: string;
  /** The spec file, relative to the package root, with forward slashes. */
  readonly path: string;
  /** The kernels (or the patch, or the example) it describes. */
  readonly describes: string;
  readonly fixes: readonly { readonly spec: string; readonly change: string }[];
  /** A real era of Linux (or a posted patch), as opposed to an invented example: what kernel code is held against to say which era it is. */
  readonly era: boolean;
}

const PRE_COPY = 'the 6.2 pre-copy states (commit 4db52602a607)';
const LOOP_FIX = 'the 7.2 loop fix (commit a26b499b757c)';

export const BUNDLED_SPECS: readonly BundledSpec[] = [
  { name: 'vfio-migration', path: 'spec/vfio-migration.fsm', describes: 'Linux 7.2 and later, and stable kernels with the loop fix', fixes: [], era: true },
  { name: 'linux-6.2', path: 'spec/history/linux-6.2.fsm', describes: 'Linux 6.2 to 7.1', fixes: [{ spec: 'vfio-migration', change: LOOP_FIX }], era: true },
  {
    name: 'linux-5.18',
    path: 'spec/history/linux-5.18.fsm',
    describes: 'Linux 5.18 to 6.1',
    fixes: [
      { spec: 'linux-6.2', change: PRE_COPY },
      { spec: 'vfio-migration', change: PRE_COPY },
      { spec: 'vfio-migration', change: LOOP_FIX },
    ],
    era: true,
  },
  { name: 'seed-v6', path: 'spec/history/seed-v6.fsm', describes: 'the RUNNING_P2P patch as posted (V6, January 2022; never merged as is)', fixes: [], era: true },
  {
    name: 'v2-protocol',
    path: 'spec/history/v2-protocol.fsm',
    describes: 'the v2 protocol as first merged (commit 115dcec65f61, 5.18-rc1)',
    fixes: [{ spec: 'linux-5.18', change: 'RUNNING_P2P and the flags table (commit 8cb3d83b959b)' }],
    era: true,
  },
  { name: 'post-copy', path: 'spec/examples/post-copy.fsm', describes: 'an invented POST_COPY state (an example, not Linux)', fixes: [], era: false },
  { name: 'post-copy-draft', path: 'spec/examples/post-copy-draft.fsm', describes: 'a first draft of the invented POST_COPY state (an example, not Linux)', fixes: [], era: false },
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

/** The bundled spec `given` names, if it is a name (see isSpecName) of one. */
export function bundledByName(given: string): BundledSpec | undefined {
  return isSpecName(given) ? findBundledSpec(given) : undefined;
}
