import type { Metadata } from "next";
import { FailureObjectView } from "@/components/failures/FailureObjectView";
import { idPage } from "@/components/shell/id-page";

export const metadata: Metadata = { title: "Failed object" };

export default idPage(FailureObjectView);
