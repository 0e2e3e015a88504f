import { Suspense } from "react";
import { ActivityList } from "@/components/activity-list/ActivityList";

export default function HomePage() {
  return (
    <Suspense fallback={<h1 className="text-2xl font-semibold">Activities</h1>}>
      <ActivityList />
    </Suspense>
  );
}
