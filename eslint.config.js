// The linter, configured once: typescript-eslint's recommended rules over the compiler, the descriptions, the
// tests and the scripts. `any` needs a reason (an eslint-disable comment that says why), `as never` is banned, and
// comments stay within prettier's 120 columns.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "rendered/", ".manifold-cache/", "test/corpus/**/*.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        performance: "readonly",
        URL: "readonly",
        Buffer: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        structuredClone: "readonly",
      },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "TSAsExpression > TSNeverKeyword",
          message: "`as never` hides a type error: type the value instead",
        },
        {
          selector: "CallExpression[callee.property.name='localeCompare']",
          message: "localeCompare orders by the machine's locale: use compareNames (compiler/name-order.ts)",
        },
      ],
      // Prettier is the formatter and owns the width of code (120 columns); it never rewraps comments, so the
      // line-length guard looks at comment lines only and can never fight prettier over code it printed.
      "max-len": [
        "error",
        {
          code: 120,
          ignorePattern: "^(?!\\s*(//|/\\*|\\*)).*$",
          ignoreUrls: true,
        },
      ],
    },
  },
);
