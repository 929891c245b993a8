/** The spec a command uses when none is given: the mainline FSM. */
export const DEFAULT_SPEC = 'spec/vfio-migration.fsm';
