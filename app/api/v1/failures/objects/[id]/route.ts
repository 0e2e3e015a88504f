import { endpoints } from "@/lib/api/endpoints";
import { json, route } from "@/lib/http/route";
import { getFailureObject } from "@/lib/services/failures";

export const dynamic = "force-dynamic";

export const GET = route(endpoints.getFailureObject, async ({ params, query }) =>
  json(await getFailureObject(params.id, query.asOf)),
);
