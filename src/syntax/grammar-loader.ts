import { existsSync, readFileSync } from 'node:fs';
import * as ohm from 'ohm-js';

/**
 * Loads an ohm grammar that lives next to this module as `<name>.ohm`.
 *
 * Compiling grammar source costs ~100 ms on a cold start, more than the whole
 * check; the build therefore stores each grammar as an ohm recipe
 * (`<name>.ohm.json`, see compile-grammars.ts) and the CLI loads that. Tests
 * run from the sources, where no recipe exists, and compile the `.ohm` itself.
 */
/** ohm exports its recipe functions at run time but leaves them out of its typings. */
interface RecipeApi {
  makeRecipe(recipe: string): ohm.Grammar;
}
export interface RecipeGrammar {
  toRecipe(): string;
}
const withRecipes = ohm as unknown as RecipeApi;

export function loadGrammar(name: string): ohm.Grammar {
  const recipe = new URL(`./${name}.ohm.json`, import.meta.url);
  if (existsSync(recipe)) return withRecipes.makeRecipe(readFileSync(recipe, 'utf8'));
  return ohm.grammar(readFileSync(new URL(`./${name}.ohm`, import.meta.url), 'utf8'));
}
