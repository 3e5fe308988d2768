// Lint, and above all the import boundaries, so that nobody has to remember them:
//  - the console imports from the server only the router *types*;
//  - providers import neither the control plane nor the policies;
//  - policies are pure rules and import neither;
//  - routers run no SQL: they reach the store only through the capabilities' repositories, so they import
//    `store/` for types only (issue 14.2), and nothing outside routers/ imports a router but the root, _app.ts.
import tseslint from 'typescript-eslint';

const focusedOrSkipped = ['fit', 'fdescribe', 'xit', 'xdescribe'].map((name) => ({
  name,
  message: 'focused or skipped specs must not be committed',
}));

/** Routers are composed in one place: outside routers/, only the root router (routers/_app.ts) may be imported. */
const routersFromOutside = {
  group: ['**/routers/*', '!**/routers/_app.ts', '**/extranet/router-*'],
  message: 'only routers/_app.ts (the root router) is imported from outside routers/; routers compose there',
};

/** Test support (`testing/`) serves specs, cross-package suites and benches, never the product. */
const testingFromProduction = {
  group: ['**/testing/*'],
  message: 'production code does not import test support (`testing/`); move what it needs next to the code',
};

/** `db.query(…)`, `tx.query(…)`, `ctx.db.query(…)`, `ctx.deps.store.query(…)`: SQL, which routers leave to repositories. */
const noSqlInRouters = ['error',
  { selector: "CallExpression[callee.property.name='query'][callee.object.name=/^(db|tx|store|client)$/]", message: 'routers run no SQL: call the capability\'s repository' },
  { selector: "CallExpression[callee.property.name='query'][callee.object.property.name=/^(db|store)$/]", message: 'routers run no SQL: call the capability\'s repository' },
];

/**
 * SQL text lives in the capabilities' repositories (`*-repo.ts`) and the store (issue 14.2): elsewhere a `.query(` whose
 * first argument is a string is a statement that belongs in a repository. (tRPC's `.query(async …)` takes a function.)
 */
const noSqlOutsideRepositories = ['error', {
  selector: "CallExpression[callee.property.name='query'][arguments.0.type=/^(Literal|TemplateLiteral)$/]",
  message: 'SQL belongs in the capability\'s repository (`<capability>/<thing>-repo.ts`) or in store/',
}];

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
    files: ['control-plane/src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'deploy/**/*.ts'],
    ignores: ['control-plane/src/routers/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [routersFromOutside] }],
    },
  },
  {
    files: ['control-plane/src/**/*.ts'],
    // The two migration worlds are test support still beside their code (ARCHITECTURE.md, test support).
    ignores: ['control-plane/src/routers/**', 'control-plane/src/extranet/router-*.ts', '**/*.test.ts', '**/testing/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [routersFromOutside, testingFromProduction] }],
    },
  },
  {
    files: ['control-plane/src/**/*.ts'],
    ignores: [
      '**/*-repo.ts', 'control-plane/src/store/**', '**/testing/**', '**/*.test.ts',
      // Session-level statements on a connection of their own, not data: LISTEN and the leader's advisory lock.
      'control-plane/src/lifecycle/db-session.ts', 'control-plane/src/lifecycle/leader.ts', 'control-plane/src/auth/identity-feed.ts',
      // The DR probe runs an operator's check against the protected system's database, not against ours.
      'control-plane/src/dr/sql-probe.ts',
    ],
    rules: { 'no-restricted-syntax': noSqlOutsideRepositories },
  },
  {
    files: ['control-plane/src/routers/**/*.ts', 'control-plane/src/extranet/router-*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-syntax': noSqlInRouters,
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/store/*'], allowTypeImports: true, message: 'routers run no SQL: call the capability\'s repository (`<capability>/<thing>-repo.ts`); `store/` only for types' },
          { group: ['pg', '@electric-sql/pglite'], message: 'routers run no SQL' },
          testingFromProduction,
        ],
      }],
    },
  },
  {
    files: ['control-plane/src/extranet/router-*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/store/*'], allowTypeImports: true, message: 'routers run no SQL: call the capability\'s repository (`<capability>/<thing>-repo.ts`); `store/` only for types' },
          { group: ['pg', '@electric-sql/pglite'], message: 'routers run no SQL' },
          routersFromOutside,
          testingFromProduction,
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
