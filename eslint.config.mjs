import tseslint from 'typescript-eslint';
import jest from 'eslint-plugin-jest';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist-lib/', 'dist/', 'cdk8s.out/', 'coverage/', 'bin/', 'scripts/', '*.config.js', '*.config.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'lib/ has no hidden inputs; read the environment in stacks/ only.' }],
    },
    files: ['lib/**/*.ts'],
  },
  {
    // Layering: no import circles anywhere, and the library never reaches into the entry points or data.
    files: ['lib/**/*.ts', 'stacks/**/*.ts', 'environments/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json', '.d.ts'] })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', {
        zones: [{ target: './lib', from: ['./stacks', './environments', './bench'], message: 'lib/ knows nothing of stacks, environments or benchmarks.' }],
      }],
    },
  },
  {
    files: ['test/**/*.test.ts'],
    ...jest.configs['flat/recommended'],
    rules: {
      ...jest.configs['flat/recommended'].rules,
      'jest/valid-expect': 'error',
      'jest/expect-expect': ['error', { assertFunctionNames: ['expect', 'expectConformant', 'expect*'] }],
      'jest/no-disabled-tests': 'error',
      'jest/no-conditional-expect': 'off',
    },
  },
);
