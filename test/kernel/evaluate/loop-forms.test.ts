// The skip loop of the 6.2-7.1 lookup never ends on the two blocked
// requests. Whichever way it is written, the report must name the states it
// goes round: the evaluator reads what the loop writes from its body, its
// test, and a `for` loop's update clause alike.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kernel } from '../support.js';

const FILE = 'test/fixtures/kernel/linux-6.2.c';
const LOOP = `	*next_fsm = vfio_from_fsm_table[cur_fsm][new_fsm];
	while ((device->migration_flags & state_flags_table[*next_fsm]) !=
			state_flags_table[*next_fsm])
		*next_fsm = vfio_from_fsm_table[*next_fsm][new_fsm];
`;

const OK = '(device->migration_flags & state_flags_table[*next_fsm]) == state_flags_table[*next_fsm]';

const FORMS: Record<string, string> = {
  while: LOOP,
  for: `	for (*next_fsm = vfio_from_fsm_table[cur_fsm][new_fsm];
	     !(${OK});
	     *next_fsm = vfio_from_fsm_table[*next_fsm][new_fsm])
		;
`,
  'do-while': `	*next_fsm = vfio_from_fsm_table[cur_fsm][new_fsm];
	if (!(${OK}))
		do {
			*next_fsm = vfio_from_fsm_table[*next_fsm][new_fsm];
		} while (!(${OK}));
`,
  'for with a local': `	enum vfio_device_mig_state next;

	for (next = vfio_from_fsm_table[cur_fsm][new_fsm];
	     (device->migration_flags & state_flags_table[next]) != state_flags_table[next];
	     next = vfio_from_fsm_table[next][new_fsm])
		;
	*next_fsm = next;
`,
};

const NEVER_ENDING = [
  'STOP_COPY -> PRE_COPY with STOP_COPY,PRE_COPY: goes round ERROR',
  'STOP_COPY -> PRE_COPY with STOP_COPY,P2P,PRE_COPY: goes round ERROR',
  'STOP_COPY -> PRE_COPY_P2P with STOP_COPY,P2P,PRE_COPY: goes round ERROR',
];

describe('a skip loop that never ends names the states it goes round', () => {
  const text = readFileSync(FILE, 'utf8');
  it('the fixture has the loop this test rewrites', () => {
    expect(text).toContain(LOOP);
  });
  for (const [form, loop] of Object.entries(FORMS)) {
    it(`in the ${form} form`, async () => {
      const r = await kernel(FILE, 'spec/history/linux-6.2.fsm', { text: text.replace(LOOP, loop) });
      if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join('\n'));
      const found = r.report.evaluation.nonTerminating.map((n) => `${n.current} -> ${n.target} with ${n.flags.join(',')}: goes round ${n.cycle.join(', ')}`);
      expect(found.sort()).toEqual([...NEVER_ENDING].sort());
      expect(r.report.evaluation.mismatches).toEqual([]);
    });
  }
});
