// The linter that keeps the house's layers (docs/ARCHITECTURE.md): no import cycles, no `any` in src-main, and who
// may import whom. Style is left to the reviewers; these rules guard structure only.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

const layers = [
  { target: './src-main/node', from: ['./src-main/cluster', './src-main/host', './src-main/registry', './src-main/shell'], message: 'node/ is a worker thread: it must not reach into the control plane or the shell.' },
  { target: './src-main/userland', from: ['./src-main/shell', './src-main/node', './src-main/cluster', './src-main/host'], message: 'userland/ (the programs, files and streams a Linux userland has) is shared by the lab shell and the containers: it depends on neither.' },
  { target: './src-main/kubectl', from: ['./src-main/apiserver'], message: 'kubectl/ is a client: it talks HTTP to the API server, it does not import it.' },
  { target: './src-renderer', from: './src-main', except: ['./contract'], message: 'The renderer imports only the typed contract from src-main.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/fixtures/lint-planted/**', 'src-renderer/**/*.svelte', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['src-main/**/*.ts', 'src-renderer/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts', '*.ts'],
    languageOptions: { parser: tseslint.parser, parserOptions: { ecmaVersion: 'latest', sourceType: 'module' } },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    settings: { 'import-x/resolver-next': [importX.createNodeResolver({ extensions: ['.ts', '.js', '.mjs', '.svelte'] })], 'import-x/extensions': ['.ts', '.js'] },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: layers }],
    },
  },
  {
    files: ['src-main/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
);
