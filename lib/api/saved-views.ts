/**
 * Saved views: named list filters of an API key.
 * Schemas (validated at the edge, typed for the pages, documented in OpenAPI) and endpoints.
 */
import { z } from "zod";
import { endpoint } from "./endpoint";
import { IdParam, IsoDateTime, Name, SavedViewScope, Text, Uuid, listEnvelope } from "./kit";

// ---------- saved views ----------
export const SavedView = z
  .object({
    id: Uuid,
    scope: SavedViewScope,
    name: z.string().describe("Name of the view, unique per key and scope"),
    query: z.string().describe('The list\'s query string, e.g. "status=FailedWithError&topLevelOnly=false"'),
    isDefault: z.boolean().describe("Opened when the list is opened without filters"),
    webhook: z
      .object({
        url: z.string().describe("Where its failed runs are POSTed"),
        enabled: z.boolean().describe("Whether they are"),
      })
      .nullable()
      .describe("Its webhook, when it has one (GET /saved-views/{id}/webhook for the rest)"),
    created: IsoDateTime,
    updated: IsoDateTime,
  })
  .meta({ id: "SavedView", description: "A named set of list filters, of the API key that saved it" });
export type SavedView = z.infer<typeof SavedView>;
export const SavedViewList = listEnvelope(SavedView, "By scope, then name").meta({ id: "SavedViewList" });
export const SavedViewListQuery = z.strictObject({ scope: SavedViewScope.optional() });
const ViewQueryText = Text(2000).refine(
  (q) => !q.startsWith("?") && !/[\s#]/.test(q),
  "A query string without ?, # or spaces",
);
export const CreateSavedViewBody = z
  .strictObject({
    scope: SavedViewScope,
    name: Name(100).describe("Name, unique per key and scope"),
    query: ViewQueryText.describe("The list's query string"),
    isDefault: z.boolean().default(false).describe("Open it when the list is opened without filters"),
  })
  .meta({
    id: "CreateSavedViewBody",
    examples: [{ scope: "Activities", name: "Failed steps", query: "status=FailedWithError&topLevelOnly=false" }],
  });
export const UpdateSavedViewBody = z
  .strictObject({
    name: Name(100).optional().describe("New name"),
    query: ViewQueryText.optional().describe("New query string"),
    isDefault: z.boolean().optional().describe("Make it (or no longer) the default of its scope"),
  })
  .meta({ id: "UpdateSavedViewBody" });

// ---------- endpoints ----------
export const savedViewEndpoints = {
  listSavedViews: endpoint({
    id: "listSavedViews",
    method: "GET",
    path: "/saved-views",
    tag: "Saved views",
    summary: "List the saved views of the calling key",
    access: "read",
    query: SavedViewListQuery,
    response: { status: 200, schema: SavedViewList, description: "Saved views" },
  }),
  createSavedView: endpoint({
    id: "createSavedView",
    method: "POST",
    path: "/saved-views",
    tag: "Saved views",
    summary: "Save a view",
    access: "read",
    body: CreateSavedViewBody,
    response: { status: 201, schema: SavedView, description: "Saved" },
    errors: ["CONFLICT"],
  }),
  updateSavedView: endpoint({
    id: "updateSavedView",
    method: "PATCH",
    path: "/saved-views/{id}",
    tag: "Saved views",
    summary: "Rename, change or make a view the default",
    access: "read",
    params: IdParam,
    body: UpdateSavedViewBody,
    response: { status: 200, schema: SavedView, description: "Updated" },
    errors: ["CONFLICT"],
  }),
  deleteSavedView: endpoint({
    id: "deleteSavedView",
    method: "DELETE",
    path: "/saved-views/{id}",
    tag: "Saved views",
    summary: "Delete a view",
    access: "read",
    params: IdParam,
    response: { status: 204, description: "Deleted" },
  }),
} as const;
