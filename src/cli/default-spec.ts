import { MAINLINE_SPEC } from '../node/bundled-specs.js';

/** The spec a command uses when none is given: the bundled mainline FSM, read from the package. */
export const DEFAULT_SPEC = MAINLINE_SPEC;

/** How a spec argument is described in every command's help. */
export const SPEC_HELP = 'a bundled spec by name (vfio-fsm specs lists them) or a .fsm file by path';
