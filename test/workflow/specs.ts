/** The bundled specs in kernel history order, then the worked proposal. */
export const HISTORY = ['spec/history/v2-protocol.fsm', 'spec/history/seed-v6.fsm', 'spec/history/linux-5.18.fsm', 'spec/history/linux-6.2.fsm', 'spec/vfio-migration.fsm'] as const;
export const MAINLINE = 'spec/vfio-migration.fsm';
export const DRAFT = 'spec/examples/post-copy-draft.fsm';
export const PROPOSAL = 'spec/examples/post-copy.fsm';
