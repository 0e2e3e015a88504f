/**
 * Connected systems, their run profiles, and running a run profile.
 * Schemas (validated at the edge, typed for the pages, documented in OpenAPI) and endpoints.
 */
import { z } from "zod";
import { endpoint } from "./endpoint";
import { ConnectedSystemKind, QueryId, RunType, listEnvelope } from "./kit";
import { triggerEndpointParts } from "./activities";

// ---------- configuration ----------
export const RunProfile = z.object({
  id: z.number().int().describe("Id of the run profile"),
  name: z.string().describe("Name of the run profile"),
  runType: RunType,
});
export const ConnectedSystem = z.object({
  id: z.number().int().describe("Id of the connected system"),
  name: z.string().describe("Name of the connected system"),
  kind: ConnectedSystemKind,
  description: z.string().describe("What the system is and does"),
  externalIdAttribute: z.string().describe("The attribute that identifies objects across runs"),
  objectTypes: z.array(z.string()).describe("Object types of its schema"),
  runProfiles: z.array(RunProfile).describe("Its run profiles"),
});
export type ConnectedSystem = z.infer<typeof ConnectedSystem>;
export const ConnectedSystemList = listEnvelope(ConnectedSystem, "Connected systems, by id").meta({
  id: "ConnectedSystemList",
});
export const RunProfileParams = z.strictObject({
  id: QueryId.describe("Id of the connected system"),
  runProfileId: QueryId.describe("Id of the run profile (of that connected system)"),
});

// ---------- endpoints ----------
export const connectedSystemEndpoints = {
  listConnectedSystems: endpoint({
    id: "listConnectedSystems",
    method: "GET",
    path: "/connected-systems",
    tag: "Configuration",
    summary: "List connected systems and their run profiles",
    access: "read",
    response: { status: 200, schema: ConnectedSystemList, description: "Connected systems" },
  }),
  executeRunProfile: endpoint({
    id: "executeRunProfile",
    method: "POST",
    path: "/connected-systems/{id}/run-profiles/{runProfileId}/execute",
    tag: "Configuration",
    summary: "Run a run profile",
    description:
      "Queues a run; it starts when no other run of its connected system runs. When a run of the same profile is " +
      "already queued, that run is returned (200, deduplicated) instead of a second one.",
    access: "admin",
    params: RunProfileParams,
    ...triggerEndpointParts("A queued run of the same profile already existed: it is returned"),
  }),
} as const;
