import { Suspense } from "react";
import { ActivityListView } from "@/components/ActivityListView";

export default function HomePage() {
  return (
    <Suspense fallback={<h1 className="text-2xl font-semibold">Activities</h1>}>
      <ActivityListView />
    </Suspense>
  );
}
