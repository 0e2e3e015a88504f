import { errorResponse } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

const notFound = (req: Request) =>
  errorResponse("NOT_FOUND", `No API route ${req.method} ${new URL(req.url).pathname}.`);
export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
