import { endpoints } from "@/lib/api/endpoints";
import { liveStream, resolveSubscriptions } from "@/lib/http/live-stream";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route(endpoints.streamLive, {
  admit: false,
  handler: async ({ req, query, principal }) =>
    liveStream(resolveSubscriptions(query.s, principal, req.headers.get("last-event-id")), req.signal),
});
