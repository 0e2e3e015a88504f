import { endpoints } from "@/lib/api/endpoints";
import { livePoll, resolveSubscriptions } from "@/lib/http/live-stream";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route(endpoints.pollLive, {
  admit: false,
  handler: async ({ req, query, principal }) =>
    livePoll(resolveSubscriptions(query.s, principal, null), query.wait * 1000, req.signal),
});
