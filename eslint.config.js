// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';
import globals from 'globals';

// The import table of docs/architecture.md ("Layers and imports"), which this must match: each folder may import
// itself and the folders (or single modules) listed, nothing else of the project. Imports of npm packages and Node's
// modules are not layers (the core's purity and the renderer's isolation are checked separately below).
const LAYERS = {
  'src/raft': [],
  'src/shared': [],
  'src/kv': [],
  'src/check': ['src/raft', 'src/kv'],
  // The Ready pipeline that node processes and the simulator both run (storage, transport, clock behind interfaces).
  'src/runtime': ['src/raft'],
  'src/sim': ['src/raft', 'src/kv', 'src/check', 'src/runtime'],
  'src/protocol': ['src/raft', 'src/kv'],
  'src/plot': ['src/protocol'],
  'src/node': ['src/raft', 'src/kv', 'src/protocol', 'src/shared', 'src/runtime'],
  // The controller lists the built-in exercises and demos for the LabApi: the catalog, and nothing else of src/exercise.
  'src/lab': ['src/raft', 'src/kv', 'src/check', 'src/protocol', 'src/plot', 'src/shared', 'src/exercise/catalog'],
  'src/exercise': ['src/protocol', 'src/lab'],
  'src/web': ['src/protocol', 'src/lab'],
  'src/cli': ['src/raft', 'src/check', 'src/sim', 'src/protocol', 'src/lab', 'src/exercise', 'src/web', 'package.json'],
  'electron': ['src/protocol', 'src/lab'],
  // The benchmark's synthetic lab, loaded only in the benchmark's build (renderer/src/main.ts, __RAFT_LAB_BENCH__).
  'renderer': ['src/protocol', 'src/plot', 'test/bench/bench-lab-api'],
};
const MAX_FOLDER_DEPTH = 8;

const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * One config per folder and depth below it (a relative import means a different folder from each depth): a regex
 * that matches every import leaving the folder, unless it lands in the folder itself or in one it may import.
 */
function layerConfigs() {
  return Object.entries(LAYERS).flatMap(([layer, allowed]) => {
    const layerSegments = layer.split('/');
    const message = `${layer} may import only ${allowed.length > 0 ? allowed.join(', ') : 'itself'} (docs/architecture.md, "Layers and imports").`;
    return Array.from({ length: MAX_FOLDER_DEPTH }, (_, depth) => {
      const alternatives = [];
      for (let up = depth + 1; up <= layerSegments.length + depth; up += 1) {
        const base = layerSegments.slice(0, layerSegments.length + depth - up).join('/');
        const reachable = [layer, ...allowed]
          .filter((target) => base === '' || target.startsWith(`${base}/`))
          .map((target) => escapeRegex(base === '' ? target : target.slice(base.length + 1)));
        alternatives.push(`(?:\\.\\./){${up}}(?!\\.\\./)(?!(?:${reachable.join('|')})(?:/|$))`);
      }
      return {
        files: [`${layer}/${'*/'.repeat(depth)}*.{ts,vue}`],
        rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ regex: `^(?:${alternatives.join('|')})`, caseSensitive: true, message }] }] },
      };
    });
  });
}

// The Raft core must stay a pure, deterministic state machine: no I/O, clocks, timers or randomness.
const impureModules = [
  'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'net', 'node:net', 'child_process', 'node:child_process',
  'os', 'node:os', 'http', 'node:http', 'dgram', 'node:dgram', 'worker_threads', 'node:worker_threads',
  'timers', 'node:timers', 'crypto', 'node:crypto', 'perf_hooks', 'node:perf_hooks', 'zeromq', 'ws',
];

/** Rules for a folder that must stay pure: no I/O modules, no timers, no clock, no process, no unseeded randomness. */
function pureFolder(folder, what) {
  return {
    files: [`${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', { paths: impureModules.map((name) => ({ name, message: `${what}: no I/O.` })) }],
      'no-restricted-globals': ['error',
        { name: 'setTimeout', message: `${what}: time is an input.` },
        { name: 'setInterval', message: `${what}: time is an input.` },
        { name: 'setImmediate', message: `${what}: time is an input.` },
        { name: 'queueMicrotask', message: `${what}.` },
        { name: 'process', message: `${what}: no process access.` },
        { name: 'performance', message: `${what}: time is an input.` },
        { name: 'fetch', message: `${what}: no I/O.` },
        { name: 'require', message: `${what}.` },
      ],
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: `${what}: time is an input.` },
        { object: 'Math', property: 'random', message: `${what}: randomness is a seeded input.` },
      ],
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Date']", message: `${what}: time is an input.` }],
    },
  };
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
    rules: {
      'vue/multi-word-component-names': 'error',
      // Layout of template markup is a formatter's job, not a linter's.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/html-indent': 'off',
      'vue/first-attribute-linebreak': 'off',
    },
  },
  ...layerConfigs(),
  {
    files: ['renderer/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['node:*', 'fs', 'path', 'child_process', 'zeromq', 'ws', 'electron'], message: 'The renderer talks only to the LabApi; no Node modules.' },
      ] }],
    },
  },
  // The core and the Ready pipeline share the same purity: time, randomness and I/O come in as inputs.
  pureFolder('src/raft', 'src/raft is pure'),
  pureFolder('src/runtime', 'src/runtime does no I/O and keeps no time (ports.ts)'),
);
