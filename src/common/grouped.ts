/**
 * `n` with thousands separators, as `n.toLocaleString('en-US')` writes an
 * integer (`1,048,576`), without the locale data: the first call to
 * toLocaleString loads ICU's, about 10 ms of a command's start. Anything but
 * a safe integer (never printed today) is left to toLocaleString.
 */
export function grouped(n: number): string {
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${out}` : out;
}
