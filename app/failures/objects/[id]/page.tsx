import type { Metadata } from "next";
import { Suspense } from "react";
import { FailureObjectView } from "@/components/failures/FailureObjectView";

export const metadata: Metadata = { title: "Failed object" };

export default async function FailureObjectPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <Suspense fallback={null}>
      <FailureObjectView id={id} />
    </Suspense>
  );
}
