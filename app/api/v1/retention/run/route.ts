import { endpoints } from "@/lib/api/endpoints";
import { json, route } from "@/lib/http/route";
import { purgeExpired } from "@/lib/services/retention";

export const dynamic = "force-dynamic";

export const POST = route(endpoints.runRetention, async () => json(await purgeExpired()));
