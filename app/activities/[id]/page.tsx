import type { Metadata } from "next";
import { Suspense } from "react";
import { ActivityDetailPage } from "@/components/activity-detail/ActivityDetailPage";

export const metadata: Metadata = { title: "Activity" };

export default async function ActivityPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <Suspense fallback={null}>
      <ActivityDetailPage id={id} />
    </Suspense>
  );
}
