import { fileURLToPath } from "node:url";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const banUnsafeRaw = {
  selector: "MemberExpression[property.name=/^\\$(queryRawUnsafe|executeRawUnsafe)$/]",
  message: "Unsafe raw SQL is banned: use $queryRaw/$executeRaw tagged templates (parameterised).",
};

// The layers of docs/ARCHITECTURE.md, as far as the code already keeps them: each zone names
// files (target) that must not import others (from). Paths resolve through the TypeScript
// resolver eslint-config-next sets up, so "@/lib/..." imports count like relative ones.
const PRIMITIVES = [
  "db.ts",
  "db-options.ts",
  "env.ts",
  "errors.ts",
  "logger.ts",
  "request-context.ts",
  "request-errors.ts",
  "text.ts",
  "dates.ts",
  "action-result.ts",
  "auth/permissions.ts",
  "auth/mfa/key.ts",
  "users/password.ts",
  "users/password-policy.ts",
  "users/common-passwords.ts",
  "security/headers.ts",
  "security/client-address.ts",
  "metrics/registry.ts",
];
const MACHINERY = [
  "./lib/audit/record.ts",
  "./lib/audit/hash.ts",
  "./lib/audit/redact.ts",
  "./lib/audit/index.ts",
  "./lib/audit/csv.ts",
  "./lib/audit/text-change.ts",
  "./lib/outbox",
  "./lib/security/events.ts",
  "./lib/security/refusals.ts",
  "./lib/security/anomaly.ts",
  "./lib/security/jobs.ts",
  "./lib/rate-limit",
  "./lib/captcha",
  "./lib/metrics",
];
const layerZones = [
  {
    target: "./lib",
    from: ["./app", "./components"],
    message: "lib/ sits below the UI: it never imports app/ or components/.",
  },
  {
    target: "./lib",
    from: "./lib/**/actions.ts",
    message: "A domain's actions.ts is the top of lib/: only pages and components call it.",
  },
  {
    target: "./lib/**/!(actions).ts",
    from: "./lib/action.ts",
    message: "The action wrapper sits above services and queries: only actions.ts files use it.",
  },
  {
    target: PRIMITIVES.map((file) => `./lib/${file}`),
    from: "./lib",
    except: ["./generated", ...PRIMITIVES.map((file) => `./${file}`)],
    message:
      "Primitives (db, env, errors, logger, permissions, password hashing) import only primitives.",
  },
  {
    target: MACHINERY,
    from: [
      "./lib/tickets",
      "./lib/categories",
      "./lib/users",
      "./lib/action.ts",
      "./lib/audit/queries.ts",
      "./lib/audit/filters.ts",
      "./lib/audit/actions.ts",
    ],
    message: "Audit, outbox, rate limits and CAPTCHA sit below the domains and never import them.",
  },
  {
    target: MACHINERY,
    from: "./lib/auth",
    except: ["./permissions.ts", "./mfa/key.ts"],
    message: "Audit, outbox, rate limits and CAPTCHA sit below lib/auth (only permissions).",
  },
  {
    target: "./lib/tickets",
    from: ["./lib/categories", "./lib/users"],
    message: "Domains do not reach into each other's modules.",
  },
  {
    target: "./lib/categories",
    from: ["./lib/tickets", "./lib/users"],
    message: "Domains do not reach into each other's modules.",
  },
  {
    target: "./lib/users",
    from: ["./lib/tickets", "./lib/categories"],
    message: "Domains do not reach into each other's modules.",
  },
  {
    target: ["./lib/tickets", "./lib/categories"],
    from: "./lib/auth",
    except: ["./permissions.ts", "./guards.ts"],
    message: "Domains use lib/auth only for permissions and guards.",
  },
  {
    target: "./components",
    from: [
      "./lib/db.ts",
      "./lib/tickets/mutation.ts",
      "./lib/tickets/comments.ts",
      "./lib/tickets/bulk.ts",
      "./lib/users/admin-service.ts",
    ],
    message: "Components write through server actions, never through the database or a service.",
  },
  {
    target: "./components",
    from: "./lib/**/service.ts",
    message: "Components write through server actions, never through the database or a service.",
  },
];

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
      "import/no-restricted-paths": [
        "error",
        { basePath: fileURLToPath(new URL(".", import.meta.url)), zones: layerZones },
      ],
    },
  },
  {
    // The one exception to react/no-danger (above): stored Markdown HTML, sanitised by
    // lib/markdown/render.ts when it was written (issue 10, ADR 013).
    files: ["components/tickets/markdown.tsx"],
    rules: { "react/no-danger": "off" },
  },
];

export default config;
