import { endpoints } from "@/lib/api/endpoints";
import { json, route } from "@/lib/http/route";
import { liveViews } from "@/lib/services/live-views";
import { activityRecorder } from "@/lib/services/recorder";

export const dynamic = "force-dynamic";

export const GET = route(endpoints.listExecutionItems, { live: liveViews.listExecutionItems });

export const POST = route(endpoints.appendExecutionItems, async ({ params, body }) => {
  const r = await activityRecorder.appendItems(params.id, body.items);
  return json({ received: body.items.length, inserted: r.inserted, duplicates: r.duplicates });
});
