import { json, route } from "@/lib/http/handler";
import { getSchedules } from "@/lib/services/config";

export const dynamic = "force-dynamic";

export const GET = route({ access: "read" }, async () =>
  json(await getSchedules(), { headers: { "Cache-Control": "private, no-cache" } }),
);
