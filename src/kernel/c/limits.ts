/**
 * The kernel reader's bounds on what one input can make it do. Each is
 * checked before the work it bounds, and each ends in a located diagnostic
 * (or, for the evaluation, an inconclusive report), never in a crash or a
 * hang. The README's "Limits" section lists them with these values.
 */

/**
 * Nesting levels of C the grammar may recurse through (nesting.ts counts
 * them on the tokens, before the grammar runs): a bracket counts two, a
 * prefix operator, a cast, an assignment, a `?` or a statement's body one.
 * ohm spends about ten rule applications on a parenthesis, some seventy
 * stack frames; Node's default stack overflows at about 105 nested ones
 * (nesting.ts has the figures for each kind). 64 admits 31 brackets or 62
 * other levels, a third of what overflows or less, and is well above real
 * code: no C file among the project's fixtures (every era, the drivers, the
 * kernel history) goes past 15, and a chain of 30 `else if` with braced
 * bodies holding calls reaches 37.
 */
export const MAX_NESTING = 64;

/**
 * Depth of the syntax tree the passes after the parser walk recursively
 * (binding, compiling, constant evaluation, the runs themselves). Operator
 * chains (`a | b | c ...`) and postfix chains (`t[a][b]...`) nest the tree
 * without nesting the grammar; a flags-table entry ORs a handful of flags.
 */
export const MAX_TREE_DEPTH = 256;

/**
 * Entries per side of a table, and the largest designator of an unsized
 * dimension plus one: the table's cells hold u8 state values, so a state
 * table never needs more rows or columns than 256.
 */
export const MAX_TABLE_SIDE = 256;

/** Steps (syntax-tree nodes evaluated) one run of the function may take before it is given up. */
export const STEP_BOUND = 100_000;

/**
 * Steps all the runs of one evaluation may take together: a function whose
 * every run goes to the step bound would otherwise cost inputs x bound
 * (1152 x 100,000 steps, half a minute). A well-behaved function takes
 * about fifty steps a run, 60,000 for every input of the mainline spec;
 * two million steps take a few tenths of a second.
 */
export const TOTAL_STEP_BUDGET = 2_000_000;
