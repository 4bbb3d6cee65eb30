import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

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
    files: ['src/app/**', 'src/ui/**', 'src/features/*/page/**', 'src/store/**', 'src/bridge/**', 'src/main.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['@tensorflow/*', '@mediapipe/*', '**/ml/*', '**/ml', '**/worker/*', '**/worker', '**/workers/*'] },
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
        { patterns: ['react', 'react-dom', 'react-dom/*', 'zustand', '**/page/*', '**/page', '**/store/*', '**/ui/*', '**/bridge/*', '**/app/*'] },
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
          patterns: ['@tensorflow/*', '@mediapipe/*', 'react', 'react-dom', 'zustand', '**/ml/*', '**/worker/*', '**/workers/*', '**/page/*', '**/store/*', '**/ui/*', '**/bridge/*'],
        },
      ],
    },
  },
  {
    // The service-worker template (vite.config.ts fills in __PRECACHE__ at build time).
    files: ['scripts/sw-template.js'],
    languageOptions: { globals: { self: 'readonly', caches: 'readonly', fetch: 'readonly', URL: 'readonly', Headers: 'readonly', Response: 'readonly', __PRECACHE__: 'readonly', __CSP__: 'readonly' } },
  },
  {
    files: ['bench/**/*.mjs', 'scripts/**/*.mjs'],
    // Node globals, plus browser ones used inside page.evaluate callbacks.
    languageOptions: {
      globals: {
        process: 'readonly', console: 'readonly', URL: 'readonly', fetch: 'readonly', setTimeout: 'readonly', setInterval: 'readonly',
        Buffer: 'readonly', window: 'readonly', navigator: 'readonly', atob: 'readonly', btoa: 'readonly', Blob: 'readonly',
        createImageBitmap: 'readonly', OffscreenCanvas: 'readonly', PerformanceObserver: 'readonly',
      },
    },
  },
);
