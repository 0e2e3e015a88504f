import type { Metadata } from "next";
import { ActivityDetailPage } from "@/components/activity-detail/ActivityDetailPage";
import { idPage } from "@/components/shell/id-page";

export const metadata: Metadata = { title: "Activity" };

export default idPage(ActivityDetailPage);
