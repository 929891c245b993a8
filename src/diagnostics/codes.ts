/**
 * Every diagnostic code the tool can print, with what it means. The one
 * registry: a code used anywhere must be here (`Code` is drawn from it, so
 * the compiler refuses any other), and the README's tables list exactly
 * these codes with these meanings (test/diagnostics/codes.test.ts).
 *
 * Ranges: VF0xx the spec language, VF09x reading an input file, VF2xx the
 * kernel reader.
 */
export const CODES = {
  VF001: 'syntax error: what was expected, and what was found, at the place the parser stopped',
  VF002: 'a statement allowed only once (`machine`, `flags`, `states`, `order`, `lookup`) is given again',
  VF003: 'a required statement (`machine`, `flags`, `states`, `order`, `lookup`) is missing',
  VF010: 'a flag is declared twice',
  VF011: 'two flags use the same bit',
  VF012: "a flag's value is not a single bit of a 32-bit word (`1 << 0` to `1 << 31`)",
  VF013: 'no flag is marked `mandatory`',
  VF014: 'more than one flag is marked `mandatory`',
  VF020: 'a state is declared twice',
  VF021: 'two states have the same value',
  VF022: "a state value is outside the table's u8 cells (0–255)",
  VF023: 'no state is marked `sink`',
  VF024: 'more than one sink, or a state marked `sink` twice',
  VF025: 'the sink needs flags (it exists on every device)',
  VF026: 'unknown flag (in `needs`, `when` or `assuming`)',
  VF027: 'a non-sink state does not need the mandatory flag',
  VF028: 'state values do not run from 0 without gaps',
  VF030: 'unknown state (in `order`, arcs, `block` or `group`)',
  VF031: 'a state appears twice in `order`',
  VF032: '`order` leaves out a state',
  VF040: 'an arc can never be taken: its condition excludes a flag that its states or its condition need',
  VF041: 'an arc leaves the sink',
  VF042: 'an arc leads into the sink',
  VF043: 'an arc is declared twice with the same condition',
  VF044: 'an arc goes from a state to itself',
  VF050: 'a blocked request is also declared as an arc',
  VF051: 'a request is blocked twice',
  VF052: 'a blocked request goes from a state to itself or involves the sink',
  VF060: 'a group is declared twice',
  VF061: 'a state is listed twice in a group',
  VF062: 'a rule names an unknown group',
  VF063: 'no `rule shortest`',
  VF064: 'a group has more than one `interior` rule',
  VF070: 'unknown lookup algorithm',
  VF080: 'unknown `emit` target (expected `c` or `ts`)',
  VF081: 'unknown `emit` setting',
  VF082: 'a TypeScript type name is a reserved word',
  VF083: 'an `emit` setting is given twice',
  VF090: 'input path does not exist',
  VF091: 'input is a directory',
  VF092: 'input is over 1 MiB (the kernel command allows 16 MiB)',
  VF093: 'input is binary (contains NUL bytes) or not UTF-8',
  VF094: 'input cannot be read (not a regular file, permission denied, other I/O error)',
  VF200: 'C syntax error: what was expected, and what was found',
  VF201: 'the input has no definition of the lookup function the spec names',
  VF202: 'an unterminated comment or literal: the rest of the file cannot be read',
  VF203: 'the lookup function has no closing brace',
  VF204: 'an unknown name: not a local, a parameter, or a state, flag or errno name',
  VF205: "a name with the spec's state prefix that names no state of the spec",
  VF206: "a name with the spec's flag prefix that names no flag of the spec",
  VF207: 'a call to something other than the kernel macros the evaluator knows',
  VF208: 'a field other than the device\'s `migration_flags`',
  VF209: "the lookup function's signature cannot be read",
  VF211: 'an invalid designator, initializer element or constant expression',
  VF212: 'a table of the wrong shape: dimensions, element type or initializer',
  VF220: 'not a patch, or a malformed or truncated patch',
  VF221: 'no hunk of the patch touches the lookup function',
  VF222: 'the patch does not apply to the base',
  VF230: 'the uapi header has no state enum',
  VF231: "a flag macro's value in the uapi header cannot be read",
  VF240: 'another definition of the lookup function (a warning: only the first is checked)',
  VF250: 'an integer constant that is not valid C (`08`, `0x`, `08x`) or does not fit in 64 bits',
  VF251: "C nested deeper than the reader's limits: 64 levels (a bracket counts two; a prefix operator, cast, assignment, `?` or statement body one), or a syntax tree 256 deep",
  VF252: "a table over the reader's limit: a dimension over 256, or an unsized dimension given a row past 255",
} as const satisfies Record<`VF${number}`, string>;

export type Code = keyof typeof CODES;

export function isCode(text: string): text is Code {
  return Object.hasOwn(CODES, text);
}
