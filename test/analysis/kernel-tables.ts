/**
 * The kernel's next-step tables of each era, typed by hand from the facts in
 * shared/reference/vfio-migration-fsm.md (rows = current state, columns =
 * requested state, in the kernel's row order). Not copied from kernel files.
 */
export interface EraTable {
  readonly order: readonly string[];
  readonly rows: Readonly<Record<string, readonly string[]>>;
}

export const V2: EraTable = {
  order: ['STOP', 'RUNNING', 'STOP_COPY', 'RESUMING', 'ERROR'],
  rows: {
    STOP: ['STOP', 'RUNNING', 'STOP_COPY', 'RESUMING', 'ERROR'],
    RUNNING: ['STOP', 'RUNNING', 'STOP', 'STOP', 'ERROR'],
    STOP_COPY: ['STOP', 'STOP', 'STOP_COPY', 'STOP', 'ERROR'],
    RESUMING: ['STOP', 'STOP', 'STOP', 'RESUMING', 'ERROR'],
    ERROR: ['ERROR', 'ERROR', 'ERROR', 'ERROR', 'ERROR'],
  },
};

export const LINUX_5_18: EraTable = {
  order: ['STOP', 'RUNNING', 'STOP_COPY', 'RESUMING', 'RUNNING_P2P', 'ERROR'],
  rows: {
    STOP: ['STOP', 'RUNNING_P2P', 'STOP_COPY', 'RESUMING', 'RUNNING_P2P', 'ERROR'],
    RUNNING: ['RUNNING_P2P', 'RUNNING', 'RUNNING_P2P', 'RUNNING_P2P', 'RUNNING_P2P', 'ERROR'],
    STOP_COPY: ['STOP', 'STOP', 'STOP_COPY', 'STOP', 'STOP', 'ERROR'],
    RESUMING: ['STOP', 'STOP', 'STOP', 'RESUMING', 'STOP', 'ERROR'],
    RUNNING_P2P: ['STOP', 'RUNNING', 'STOP', 'STOP', 'RUNNING_P2P', 'ERROR'],
    ERROR: ['ERROR', 'ERROR', 'ERROR', 'ERROR', 'ERROR', 'ERROR'],
  },
};

export const LINUX_6_2: EraTable = {
  order: ['STOP', 'RUNNING', 'PRE_COPY', 'PRE_COPY_P2P', 'STOP_COPY', 'RESUMING', 'RUNNING_P2P', 'ERROR'],
  rows: {
    STOP: ['STOP', 'RUNNING_P2P', 'RUNNING_P2P', 'RUNNING_P2P', 'STOP_COPY', 'RESUMING', 'RUNNING_P2P', 'ERROR'],
    RUNNING: ['RUNNING_P2P', 'RUNNING', 'PRE_COPY', 'RUNNING_P2P', 'RUNNING_P2P', 'RUNNING_P2P', 'RUNNING_P2P', 'ERROR'],
    PRE_COPY: ['RUNNING', 'RUNNING', 'PRE_COPY', 'PRE_COPY_P2P', 'PRE_COPY_P2P', 'RUNNING', 'RUNNING', 'ERROR'],
    PRE_COPY_P2P: ['RUNNING_P2P', 'RUNNING_P2P', 'PRE_COPY', 'PRE_COPY_P2P', 'STOP_COPY', 'RUNNING_P2P', 'RUNNING_P2P', 'ERROR'],
    STOP_COPY: ['STOP', 'STOP', 'ERROR', 'ERROR', 'STOP_COPY', 'STOP', 'STOP', 'ERROR'],
    RESUMING: ['STOP', 'STOP', 'STOP', 'STOP', 'STOP', 'RESUMING', 'STOP', 'ERROR'],
    RUNNING_P2P: ['STOP', 'RUNNING', 'RUNNING', 'PRE_COPY_P2P', 'STOP', 'STOP', 'RUNNING_P2P', 'ERROR'],
    ERROR: ['ERROR', 'ERROR', 'ERROR', 'ERROR', 'ERROR', 'ERROR', 'ERROR', 'ERROR'],
  },
};
