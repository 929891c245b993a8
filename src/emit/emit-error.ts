/** A spec that checks but cannot be turned into an output (a TypeScript name clash): exit 2 with the message. */
export class EmitError extends Error {}
