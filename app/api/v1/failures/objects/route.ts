import { endpoints } from "@/lib/api/endpoints";
import { json, route } from "@/lib/http/route";
import { listFailureObjects } from "@/lib/services/failures";

export const dynamic = "force-dynamic";

export const GET = route(endpoints.listFailureObjects, async ({ query }) => json(await listFailureObjects(query)));
