import { endpoints } from "@/lib/api/endpoints";
import { json, route } from "@/lib/http/route";
import { getSchedules } from "@/lib/services/configuration";

export const dynamic = "force-dynamic";

export const GET = route(endpoints.listSchedules, async () =>
  json(await getSchedules(), { headers: { "Cache-Control": "private, no-cache" } }),
);
