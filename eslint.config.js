// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';
import globals from 'globals';

// The Raft core must stay a pure, deterministic state machine: no I/O, clocks, timers or randomness.
const impureModules = [
  'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'net', 'node:net', 'child_process', 'node:child_process',
  'os', 'node:os', 'http', 'node:http', 'dgram', 'node:dgram', 'worker_threads', 'node:worker_threads',
  'timers', 'node:timers', 'crypto', 'node:crypto', 'perf_hooks', 'node:perf_hooks', 'zeromq', 'ws',
];

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
  {
    files: ['renderer/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['node:*', 'fs', 'path', 'child_process', 'zeromq', 'ws', 'electron'], message: 'The renderer talks only to the LabApi; no Node modules.' },
        { group: ['**/src/lab/**', '**/src/node/**', '**/src/sim/**'], message: 'The renderer imports only protocol types.' },
      ] }],
    },
  },
  {
    files: ['src/raft/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: impureModules.map((name) => ({ name, message: 'src/raft is pure: no I/O.' })),
        patterns: [{ group: ['../*', '!../raft/*'], message: 'src/raft imports nothing outside itself.' }] }],
      'no-restricted-globals': ['error',
        { name: 'setTimeout', message: 'src/raft is pure: time is an input.' },
        { name: 'setInterval', message: 'src/raft is pure: time is an input.' },
        { name: 'setImmediate', message: 'src/raft is pure: time is an input.' },
        { name: 'queueMicrotask', message: 'src/raft is pure.' },
        { name: 'process', message: 'src/raft is pure: no process access.' },
        { name: 'performance', message: 'src/raft is pure: time is an input.' },
        { name: 'fetch', message: 'src/raft is pure: no I/O.' },
        { name: 'require', message: 'src/raft is pure.' },
      ],
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'src/raft is pure: time is an input.' },
        { object: 'Math', property: 'random', message: 'src/raft is pure: randomness is a seeded input.' },
      ],
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Date']", message: 'src/raft is pure: time is an input.' }],
    },
  },
);
