import { endpoints } from "@/lib/api/endpoints";
import { json, route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

const ALIVE = { status: "ok" as const };

export const GET = route(endpoints.getLiveness, async () => json(ALIVE));
