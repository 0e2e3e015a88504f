// Alias of /activities/{id}/items.csv.
export { GET } from "../../items.csv/route";

export const dynamic = "force-dynamic";
