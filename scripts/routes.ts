/**
 * Writes lib/api/routes.json: the id, method and path of every endpoint of lib/api/endpoints.ts, the
 * part of the contract the browser needs at run time (lib/client/endpoints.ts). The dashboard then
 * ships no schemas (zod and the whole contract were a quarter of every page's first-load JS).
 * tests/unit/contract.test.ts fails when the file is not what the endpoints say.
 *
 *   npm run routes
 */
import fs from "node:fs";
import path from "node:path";
import { routeTable } from "@/lib/api/route-table";

const OUT = path.join(__dirname, "..", "lib", "api", "routes.json");
fs.writeFileSync(OUT, `${JSON.stringify(routeTable(), null, 2)}\n`);
console.log(`wrote ${path.relative(process.cwd(), OUT)}`);
