/**
 * Linux's numbers for the errno names a lookup or step function may return
 * (include/uapi/asm-generic/errno-base.h and errno.h on every architecture
 * the VFIO drivers build for). One table, read both ways: a name in the
 * source means its number, and a returned -number is printed as its name.
 */
export const ERRNO: Readonly<Record<string, number>> = {
  EPERM: 1,
  ENOENT: 2,
  EIO: 5,
  E2BIG: 7,
  ENOMEM: 12,
  EFAULT: 14,
  EBUSY: 16,
  ENODEV: 19,
  EINVAL: 22,
  ENOTTY: 25,
  ERANGE: 34,
  EOPNOTSUPP: 95,
};

const NAME_OF = new Map<number, string>(Object.entries(ERRNO).map(([name, n]) => [n, name]));

/** `-EINVAL` for -22; undefined for a number the table does not name. */
export function errnoText(negative: number): string | undefined {
  const name = NAME_OF.get(-negative);
  return name === undefined ? undefined : `-${name}`;
}
