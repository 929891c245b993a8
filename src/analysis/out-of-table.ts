/** The largest value a u8 table cell can hold. */
const U8_TOP = 0xff;
/** The top of a C `int` and of a u32: the far ends of what a caller may pass. */
const FAR = [0x7fffffff, 0xffffffff] as const;

/**
 * State values a request may carry that lie outside a table of `size`
 * states, derived from the size: the first value past the end (`size`
 * itself); 255, the largest value a u8 cell holds, when that is still past
 * the end; and the tops of int and u32. A table of 256 states fills the u8
 * range, so 255 is one of its states there, not a probe: its probes are 256,
 * 0x7fffffff and 0xffffffff (the lookups take the state as a u32, so 256 is a
 * value a caller can pass even though no cell can hold it).
 */
export function outOfTableValues(size: number): number[] {
  const values = [size];
  if (U8_TOP > size) values.push(U8_TOP);
  for (const v of FAR) if (v > size) values.push(v);
  return values;
}
