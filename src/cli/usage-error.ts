/** A mistake in how the command was called: exit 2, message only. */
export class UsageError extends Error {}
