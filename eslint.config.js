import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** What page code (app, ui, features, store, bridge) must not import: it runs on the main thread. */
const WORKER_ONLY = {
  group: ['@tensorflow/*', '@mediapipe/*', '**/ml/*', '**/ml', '**/worker/*', '**/worker', '**/workers/*'],
  message: "Worker-only: page code reaches TensorFlow.js, MediaPipe, ml/ and a capability's worker/ through a worker.",
};

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'public/vendor', 'test-results', 'playwright-report', 'bench/results'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'describe', property: 'only', message: 'no .only in committed tests' },
        { object: 'it', property: 'only', message: 'no .only in committed tests' },
        { object: 'test', property: 'only', message: 'no .only in committed tests' },
      ],
    },
  },
  {
    // Thread boundary: page code must not import TensorFlow.js, MediaPipe, the worker-only ml/ folder or any
    // capability's worker/ folder (src/features/README.md).
    files: ['src/app/**', 'src/ui/**', 'src/store/**', 'src/bridge/**', 'src/main.tsx'],
    rules: { 'no-restricted-imports': ['error', { patterns: [WORKER_ONLY] }] },
  },
  {
    // Capability pages: the thread boundary, and one way from a page to the data: the lab worker through
    // useWorkerJob (src/ui/useWorkerJob.ts) or a store action, IndexedDB through the store (src/store/records.ts).
    // A later block replaces a rule's options, so the thread boundary's patterns are repeated here.
    // src/test/importBoundaries.test.ts and threadBoundaries.test.ts check these blocks.
    files: ['src/features/*/page/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            WORKER_ONLY,
            {
              group: ['**/bridge/labBridge'],
              message: 'Pages call the lab worker through useWorkerJob (src/ui/useWorkerJob.ts) or a store action.',
            },
            {
              group: ['**/db/*', '**/db'],
              message: 'Pages read and write IndexedDB through the store (src/store/records.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    // Thread boundary, the other way: worker code (ml/, workers/, every capability's worker/) never reaches page
    // code: no React, no store, no UI, no capability's page/ folder.
    files: ['src/ml/**', 'src/workers/**', 'src/features/*/worker/**'],
    ignores: ['**/*.test.ts', '**/*.experiment.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'react',
            'react-dom',
            'react-dom/*',
            'zustand',
            '**/page/*',
            '**/page',
            '**/store/*',
            '**/ui/*',
            '**/bridge/*',
            '**/app/*',
          ],
        },
      ],
    },
  },
  {
    // Thread-neutral code (shared/ and every capability's shared/) runs on both sides: neither side's libraries.
    files: ['src/shared/**', 'src/features/*/shared/**', 'src/features/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            '@tensorflow/*',
            '@mediapipe/*',
            'react',
            'react-dom',
            'zustand',
            '**/ml/*',
            '**/worker/*',
            '**/workers/*',
            '**/page/*',
            '**/store/*',
            '**/ui/*',
            '**/bridge/*',
          ],
        },
      ],
    },
  },
  {
    // The service-worker template (vite.config.ts fills in __PRECACHE__ at build time).
    files: ['scripts/sw-template.js'],
    languageOptions: {
      globals: {
        self: 'readonly',
        caches: 'readonly',
        fetch: 'readonly',
        URL: 'readonly',
        Headers: 'readonly',
        Response: 'readonly',
        __PRECACHE__: 'readonly',
        __CSP__: 'readonly',
      },
    },
  },
  {
    files: ['bench/**/*.mjs', 'scripts/**/*.mjs'],
    // Node globals, plus browser ones used inside page.evaluate callbacks.
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
        setInterval: 'readonly',
        Buffer: 'readonly',
        window: 'readonly',
        navigator: 'readonly',
        atob: 'readonly',
        btoa: 'readonly',
        Blob: 'readonly',
        createImageBitmap: 'readonly',
        OffscreenCanvas: 'readonly',
        PerformanceObserver: 'readonly',
      },
    },
  },
);
