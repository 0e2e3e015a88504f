import type { Metadata } from "next";
import { Suspense } from "react";
import { ActivityDetailView } from "@/components/ActivityDetailView";

export const metadata: Metadata = { title: "Activity" };

export default async function ActivityPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <Suspense fallback={null}>
      <ActivityDetailView id={id} />
    </Suspense>
  );
}
