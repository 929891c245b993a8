import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Ohm from 'ohm-js';

/**
 * ohm-js's ESM entry loads its ~130 source modules one by one (~55 ms on a
 * cold start); its CommonJS build is one file (~20 ms). Start-up time is
 * benchmarked, so the CLI takes the bundle, and only when a grammar is
 * first needed: a command whose spec comes from the cache reads none.
 */
let loaded: typeof Ohm | undefined;
export function ohmLibrary(): typeof Ohm {
  return (loaded ??= createRequire(import.meta.url)('ohm-js') as typeof Ohm);
}

/** ohm exports its recipe functions at run time but leaves them out of its typings. */
interface RecipeApi {
  makeRecipe(recipe: string): Ohm.Grammar;
}
export interface RecipeGrammar {
  toRecipe(): string;
}

/**
 * Loads the ohm grammar at `url` (a `.ohm` file beside the calling module:
 * `loadGrammar(new URL('../syntax/fsm.ohm', import.meta.url))`).
 *
 * Compiling grammar source costs ~100 ms on a cold start, more than a whole
 * check; the build therefore stores each grammar as an ohm recipe
 * (`<file>.ohm.json`, see compile-grammars.ts) and the CLI loads that. Tests
 * run from the sources, where no recipe exists, and compile the `.ohm` itself.
 * A grammar derived from another (`DriverC <: KernelC`) is given that one.
 */
export function loadGrammar(url: URL, superGrammar?: Ohm.Grammar): Ohm.Grammar {
  const recipe = new URL(`${url.href}.json`);
  // A derived grammar's recipe carries its super grammar's.
  const ohm = ohmLibrary();
  if (existsSync(recipe)) return (ohm as unknown as RecipeApi).makeRecipe(readFileSync(recipe, 'utf8'));
  return ohm.grammar(readFileSync(url, 'utf8'), superGrammar ? { [superGrammar.name]: superGrammar } : undefined);
}
