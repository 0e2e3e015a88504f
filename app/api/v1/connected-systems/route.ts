import { endpoints } from "@/lib/api/endpoints";
import { json, route } from "@/lib/http/route";
import { getConnectedSystems } from "@/lib/services/configuration";

export const dynamic = "force-dynamic";

export const GET = route(endpoints.listConnectedSystems, async () =>
  json(await getConnectedSystems(), { headers: { "Cache-Control": "private, no-cache" } }),
);
