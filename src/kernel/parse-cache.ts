// The C reader's cache hook, for the CLI (which may not reach into kernel/c): see c/parse-cache.ts.
export { useParseCache } from './c/parse-cache.js';
