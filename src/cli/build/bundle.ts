// Build step (after tsc, the grammar recipes): bundles the compiled CLI into
// two CommonJS files beside it, and writes what the launcher answers by
// itself.
//
//   dist/src/cli/vfio-fsm.bundle.cjs  the whole program (and its small
//       dependencies, commander, ohm-js, picocolors, diff) in one file: one read and
//       one compilation, which the launcher can hand V8's code cache;
//       ts-morph, prettier and Graphviz stay outside, loaded by `gen` alone.
//   dist/src/cli/vfio-fsm.cjs          the launcher (src/cli/bin.ts): the bin.
//   dist/src/cli/launch.json           the version, the build id (a hash of
//       what the program's output depends on: every cache entry is keyed by
//       it), and the help and version texts, as the program prints them.
import { createHash } from 'node:crypto';
import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'rolldown';
import { build } from 'rolldown';
import type { LaunchData } from '../launch-data.js';
import { BUNDLE_FILE, IMPORT_NAME, LAUNCHER_FILE, LAUNCH_FILE } from '../launch-data.js';
import { quickAnswers } from './quick-answers.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const cli = join(root, 'dist/src/cli');
/** Loaded by `gen` only, with import(), from node_modules: large, and not needed by any other command. */
const EXTERNAL = ['ts-morph', 'prettier', '@hpcc-js/wasm-graphviz'];

/**
 * A grammar is found by its URL beside the module that loads it
 * (`new URL('./c.ohm', import.meta.url)`); in the bundle, import.meta.url is
 * the bundle's, so each such URL is rewritten relative to the bundle. And
 * ohm-js, which the grammar loader requires by a path-relative require,
 * is bundled like the rest.
 */
function rebased(out: string): Plugin {
  return {
    name: 'vfio-fsm-rebase',
    transform(code, id) {
      if (!code.includes('import.meta.url')) return null;
      return code
        .replace(/new URL\((['"])(\.{1,2}\/[^'"]+)\1, import\.meta\.url\)/g, (_, quote: string, path: string) => {
          let rel = relative(dirname(out), resolve(dirname(id), path)).split('\\').join('/');
          if (!rel.startsWith('.')) rel = `./${rel}`;
          return `new URL(${quote}${rel}${quote}, import.meta.url)`;
        })
        .replace(/createRequire\(import\.meta\.url\)\('ohm-js'\)/g, "require('ohm-js')");
    },
  };
}

/**
 * commander loads node:child_process as it starts, for subcommands run as
 * separate executables, which this program has none of: it is loaded on
 * first use instead, like the program's own (src/cli/builtin.ts), as each
 * costs about a millisecond of every start. Should commander's line change,
 * nothing is patched and the bundle only starts a little slower.
 */
function lazyCommanderChildProcess(): Plugin {
  return {
    name: 'vfio-fsm-lazy-child-process',
    transform(code, id) {
      if (!/[\\/]commander[\\/]lib[\\/]command\.js$/.test(id)) return null;
      return code.replace("const childProcess = require('node:child_process');", "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };");
    },
  };
}

/** import() of an external module, in the bundle, goes through the launcher's (code compiled from a code cache cannot import() in Node 20). */
function externalImports(): Plugin {
  return {
    name: 'vfio-fsm-external-imports',
    renderChunk(code) {
      const out = code.replace(/\bimport\((['"])([^'"]+)\1\)/g, (whole, _q: string, specifier: string) => (EXTERNAL.includes(specifier) ? `${IMPORT_NAME}(${JSON.stringify(specifier)})` : whole));
      const left = /\bimport\(/.exec(out);
      if (left) throw new Error(`the bundle still calls import() at ${left.index}: ${out.slice(left.index, left.index + 80)}`);
      return out;
    },
  };
}

async function bundle(input: string, output: string, plugins: Plugin[], banner?: string): Promise<string> {
  await build({
    input,
    platform: 'node',
    external: EXTERNAL,
    plugins,
    logLevel: 'warn',
    output: { file: output, format: 'cjs', codeSplitting: false, comments: false, charset: 'ascii', ...(banner ? { banner } : {}) },
  });
  const text = readFileSync(output, 'latin1');
  // The launcher reads the bundle as Latin-1, which V8 keeps one byte a character: twice as quick as UTF-8 for 0.8 MB.
  const wide = /[^\x00-\x7f]/.exec(text);
  if (wide) throw new Error(`${output} holds a character outside ASCII at ${wide.index}: ${JSON.stringify(text.slice(wide.index - 40, wide.index + 40))}`);
  return text;
}

function recipes(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ohm.json'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'));
}

const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
const program = await bundle(join(cli, 'bundle-entry.js'), join(cli, BUNDLE_FILE), [rebased(join(cli, BUNDLE_FILE)), lazyCommanderChildProcess(), externalImports()]);
const launcher = join(cli, LAUNCHER_FILE);
await bundle(join(cli, 'bin.js'), launcher, [], '#!/usr/bin/env node');
chmodSync(launcher, 0o755);

const hash = createHash('sha256').update(version).update('\0').update(program);
for (const recipe of recipes(join(root, 'dist/src'))) hash.update('\0').update(recipe);
const { quick, texts } = await quickAnswers(version);
const data: LaunchData = { version, buildId: hash.digest('hex').slice(0, 24), quick, texts };
writeFileSync(join(cli, LAUNCH_FILE), `${JSON.stringify(data)}\n`);
