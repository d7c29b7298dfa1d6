// ESLint with typescript-eslint's type-aware rules (issue 16, item 5). Run
// with `npm run lint`; `npm test` runs it after the typecheck, with no
// warnings allowed (see docs/ARCHITECTURE.md). Sources are checked against
// their package's tsconfig, which sees the other packages through their built
// dist/*.d.ts (so `tsc -b` first); tests, bench, examples and docs against
// tsconfig.tools.json (which resolves packages to src/).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "docs/api/**", "**/coverage/**", "out/**", ".turbo/**", ".gpu/**", ".gl/**", "**/*.js", "**/*.mjs", "**/*.cjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ["./packages/*/tsconfig.json", "./packages/gguf/tsconfig.test.json", "./packages/safetensors/tsconfig.test.json", "./tsconfig.tools.json"],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-unnecessary-type-assertion": "error",
      "@typescript-eslint/no-non-null-assertion": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-restricted-syntax": [
        "error",
        { selector: "NewExpression[callee.name='RangeError']", message: "Throw the package's typed error (ArgumentError, ShapeError, ...) instead of a bare RangeError." },
      ],
    },
  },
);
