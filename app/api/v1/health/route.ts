import { endpoints } from "@/lib/api/endpoints";
import { json, route } from "@/lib/http/route";
import { getHealth } from "@/lib/services/health";

export const dynamic = "force-dynamic";

export const GET = route(endpoints.getHealth, async () => json(await getHealth()));
