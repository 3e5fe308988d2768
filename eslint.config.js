// Lint, and above all the import boundaries, so that nobody has to remember them:
//  - the console imports from the server only the router *types*;
//  - providers import neither the control plane nor the policies;
//  - policies are pure rules and import neither.
import tseslint from 'typescript-eslint';

const focusedOrSkipped = ['fit', 'fdescribe', 'xit', 'xdescribe'].map((name) => ({
  name,
  message: 'focused or skipped specs must not be committed',
}));

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'console/.angular/**', 'data/**', 'bench/results/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-globals': ['error', ...focusedOrSkipped],
    },
  },
  {
    files: ['console/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [{ name: '@ganyun/control-plane/router-types', message: 'import only the router type: `import type { AppRouter }`', allowTypeImports: true }],
        patterns: [
          { group: ['@ganyun/control-plane', '@ganyun/control-plane/*', '!@ganyun/control-plane/router-types'], message: 'the console imports only `type AppRouter` from @ganyun/control-plane/router-types' },
          { group: ['**/control-plane/**', '!@ganyun/control-plane/router-types', '@ganyun/providers', '@ganyun/providers/*', '@ganyun/policies', '@ganyun/policies/*'], message: 'the console talks to the server over tRPC only' },
          { group: ['node:*'], message: 'the console runs in the browser' },
        ],
      }],
    },
  },
  {
    files: ['providers/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [{ group: ['@ganyun/control-plane', '@ganyun/control-plane/*', '**/control-plane/**', '@ganyun/policies', '@ganyun/policies/*', '**/policies/**'], message: 'providers must not depend on the control plane or the policies' }],
      }],
    },
  },
  {
    files: ['policies/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [{ group: ['@ganyun/control-plane', '@ganyun/control-plane/*', '**/control-plane/**', '@ganyun/providers', '@ganyun/providers/*', '**/providers/**'], message: 'policies are pure rules: no control plane, no providers' }],
      }],
    },
  },
);
