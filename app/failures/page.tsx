import type { Metadata } from "next";
import { Suspense } from "react";
import { FailuresView } from "@/components/failures/FailuresView";

export const metadata: Metadata = { title: "Failures" };

export default function FailuresPage() {
  return (
    <Suspense fallback={<h1 className="text-2xl font-semibold">Failures</h1>}>
      <FailuresView />
    </Suspense>
  );
}
