import { endpoints } from "@/lib/api/endpoints";
import { json, route } from "@/lib/http/route";
import { listFailureGroups } from "@/lib/services/failures";

export const dynamic = "force-dynamic";

export const GET = route(endpoints.listFailureGroups, async ({ query }) => json(await listFailureGroups(query)));
