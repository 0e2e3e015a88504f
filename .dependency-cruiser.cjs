/**
 * The layers of Syncwatch and which way imports may point (`npm run check:architecture`):
 * domain ← api ← services ← http/app; repo below services (routes and lib/http reach it only
 * through services; it knows nothing of the contract); the engine reaches the store only through
 * its ports; the browser code reaches no server module; and no import cycles at all.
 * Exceptions still held are marked EXCEPTION with the engineer who removes them.
 */
const SERVER_ONLY = "^lib/(db|repo|services|server|http|engine|live)/|^lib/generated/prisma/(client|internal|models)";

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
      name: "repo-does-not-know-the-contract",
      severity: "error",
      comment:
        "lib/repo serves every caller (routes, the engine, scripts): its input types are the domain's (lib/domain) and " +
        "its filter types its own (beside the where clauses); the contract's schemas conform to them (checked in " +
        "lib/services), so a change to the HTTP contract never reaches SQL.",
      from: { path: "^lib/repo/" },
      to: { path: "^lib/api/" },
    },
    {
      name: "routes-go-through-services",
      severity: "error",
      comment:
        "Route handlers stay thin: they parse (route()) and call a service; reading the store directly would put " +
        "the operation's rules in app/ where the engine and other routes cannot reuse them.",
      from: { path: "^app/api/" },
      to: { path: "^lib/repo/" },
    },
    {
      name: "http-goes-through-services",
      severity: "error",
      comment:
        "lib/http is the HTTP plumbing (route(), errors, admission, CSRF, ETags): what it needs from the store " +
        "it asks a service or lib/live, so the plumbing does not depend on SQL.",
      from: { path: "^lib/http/" },
      to: { path: "^lib/repo/" },
    },
    {
      name: "services-know-no-http",
      severity: "error",
      comment:
        "Services are the operations, called by routes and by the engine alike: they throw the domain's errors " +
        "(lib/domain/errors.ts) and return data; turning them into HTTP answers is lib/http's job.",
      from: { path: "^lib/services/" },
      to: { path: "^lib/http/" },
    },
    {
      name: "live-between-repository-and-services",
      severity: "error",
      comment:
        "lib/live (change signal, answer cache, fan-out) sits above lib/repo and lib/db and below services, lib/http and the routes; the repository never imports it (its writes report through lib/repo/written.ts).",
      from: { path: "^lib/live/" },
      to: { path: "^lib/(services|http|server|engine|client)/|^app/|^components/" },
    },
    {
      name: "repository-does-not-import-live",
      severity: "error",
      comment: "lib/repo learns nothing from lib/live: the change signal subscribes to the repository's write hook.",
      from: { path: "^lib/(repo|db)/" },
      to: { path: "^lib/live/" },
    },
    {
      name: "browser-code-stays-in-the-browser",
      severity: "error",
      comment: "Pages, components and lib/client run in the browser: no server module.",
      from: { path: "^(components|lib/client)/|^app/(?!api/)" },
      to: { path: SERVER_ONLY },
    },
    {
      name: "browser-ships-no-schemas",
      severity: "error",
      comment:
        "The browser calls the endpoints through lib/client/endpoints.ts (lib/api/routes.json) and reads the " +
        "contract's limits and status codes; its schemas (zod) stay on the server: import them as types only.",
      from: { path: "^(components|lib/client)/|^app/(?!api/)" },
      to: {
        path: "^lib/api/",
        pathNot: "^lib/api/(limits|status-codes)[.]ts$|^lib/api/routes[.]json$",
        dependencyTypesNot: ["type-only"],
      },
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
