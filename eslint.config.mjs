import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const banUnsafeRaw = {
  selector: "MemberExpression[property.name=/^\\$(queryRawUnsafe|executeRawUnsafe)$/]",
  message: "Unsafe raw SQL is banned: use $queryRaw/$executeRaw tagged templates (parameterised).",
};

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      "lib/generated/**",
      ".data/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  {
    rules: {
      "react/no-danger": "error",
      "no-restricted-syntax": ["error", banUnsafeRaw],
      "no-restricted-properties": [
        "error",
        { property: "$queryRawUnsafe", message: banUnsafeRaw.message },
        { property: "$executeRawUnsafe", message: banUnsafeRaw.message },
      ],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
    },
  },
];

export default config;
