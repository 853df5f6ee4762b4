import tseslint from 'typescript-eslint';
import jest from 'eslint-plugin-jest';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist-lib/', 'dist/', 'cdk8s.out/', 'coverage/', 'bin/', '*.config.js', '*.config.mjs'] },
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
