import { json, route } from "@/lib/http/handler";
import { getConnectedSystems } from "@/lib/services/config";

export const dynamic = "force-dynamic";

export const GET = route({ access: "read" }, async () =>
  json(await getConnectedSystems(), { headers: { "Cache-Control": "private, no-cache" } }),
);
