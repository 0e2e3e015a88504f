import type { Metadata } from "next";
import { Suspense } from "react";
import { NuqsAdapter } from "nuqs/adapters/next/app";
import { ActivityDetailPage } from "@/components/activity-detail/ActivityDetailPage";

export const metadata: Metadata = { title: "Activity" };

export default async function ActivityPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <NuqsAdapter>
      <Suspense fallback={null}>
        <ActivityDetailPage id={id} />
      </Suspense>
    </NuqsAdapter>
  );
}
