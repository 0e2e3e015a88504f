/**
 * The layers of Syncwatch and which way imports may point (`npm run check:architecture`):
 * domain ← api ← services ← http/app; repo below services; the engine reaches the store only
 * through its ports; the browser code reaches no server module; and no import cycles at all.
 */
const SERVER_ONLY = "^lib/(db|repo|services|server|http|engine)/|^lib/generated/prisma/(client|internal|models)";

module.exports = {
  forbidden: [
    { name: "no-circular", severity: "error", comment: "No import cycles.", from: {}, to: { circular: true } },
    {
      name: "domain-is-pure",
      severity: "error",
      comment: "lib/domain holds vocabularies and rules: it imports no HTTP schema, no store, no service.",
      from: { path: "^lib/domain/" },
      to: { path: "^lib/(api|http|repo|services|db|server|engine|client)/|^lib/generated/prisma/client" },
    },
    {
      name: "services-use-the-repository",
      severity: "error",
      comment: "Services reach the store through lib/repo only: no lib/db, no Prisma client.",
      from: { path: "^lib/services/" },
      to: { path: "^lib/db/|^lib/generated/prisma/" },
    },
    {
      name: "engine-through-its-ports",
      severity: "error",
      comment: "The engine reaches the store and the services only through lib/engine/ports.ts (wired in lib/server).",
      from: { path: "^lib/engine/" },
      to: { path: "^lib/(db|repo|services|server|http|api)/|^lib/generated/prisma/" },
    },
    {
      name: "repository-below-services",
      severity: "error",
      comment: "lib/repo is the bottom layer above lib/db: it imports no service, handler, engine or page code.",
      from: { path: "^lib/repo/" },
      to: { path: "^lib/(services|http|server|engine|client)/|^app/|^components/" },
    },
    {
      name: "browser-code-stays-in-the-browser",
      severity: "error",
      comment: "Pages, components and lib/client run in the browser: no server module.",
      from: { path: "^(components|lib/client)/|^app/(?!api/)" },
      to: { path: SERVER_ONLY },
    },
    {
      name: "api-contract-is-browser-safe",
      severity: "error",
      comment: "lib/api is shared with the browser.",
      from: { path: "^lib/api/" },
      to: { path: SERVER_ONLY },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^lib/generated/prisma/(internal|models)" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
