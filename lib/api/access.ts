/**
 * Authentication (the session cookie) and API keys.
 * Schemas (validated at the edge, typed for the pages, documented in OpenAPI) and endpoints.
 */
import { z } from "zod";
import { endpoint } from "./endpoint";
import { ApiKeyRole, IdParam, IsoDateTime, Name, Text, Uuid, listEnvelope } from "./kit";

// ---------- auth, keys, health ----------
export const SignInBody = z
  .strictObject({ apiKey: Text(200).min(8).describe("The API key to sign in with") })
  .meta({ id: "SignInBody" });
export const SessionInfo = z
  .object({
    keyId: Uuid,
    keyName: z.string().describe("Name of the key"),
    role: ApiKeyRole,
    via: z.enum(["header", "session"]).describe("header: X-Api-Key; session: the sign-in cookie"),
  })
  .meta({ id: "SessionInfo" });
export type SessionInfo = z.infer<typeof SessionInfo>;
export const CreateApiKeyBody = z
  .strictObject({ name: Name(100).describe("A name to recognise the key by"), role: ApiKeyRole })
  .meta({ id: "CreateApiKeyBody" });
export const ApiKeyInfo = z
  .object({
    id: Uuid,
    name: z.string().describe("Name of the key"),
    prefix: z.string().describe("First characters of the key, to recognise it"),
    role: ApiKeyRole,
    source: z
      .enum(["Environment", "Generated", "Api"])
      .describe("Environment keys are managed by SYNCWATCH_ADMIN_API_KEY"),
    created: IsoDateTime,
    lastUsed: IsoDateTime.nullable(),
    revoked: IsoDateTime.nullable(),
  })
  .meta({ id: "ApiKeyInfo" });
export type ApiKeyInfo = z.infer<typeof ApiKeyInfo>;
export const CreatedApiKey = ApiKeyInfo.extend({
  secret: z.string().describe("Shown once; only its hash is stored"),
}).meta({ id: "CreatedApiKey" });
export const ApiKeyList = listEnvelope(ApiKeyInfo, "Keys, newest first").meta({ id: "ApiKeyList" });

// ---------- endpoints ----------
export const accessEndpoints = {
  signIn: endpoint({
    id: "signIn",
    method: "POST",
    path: "/auth/session",
    tag: "Authentication",
    summary: "Sign in with an API key",
    description:
      "Sets the httpOnly session cookie (12 hours). Wrong keys are counted per client address and key prefix: " +
      "past the quota they answer 429 (RateLimit, Retry-After); a valid key is always accepted.",
    access: "public",
    body: SignInBody,
    response: { status: 200, schema: SessionInfo, description: "Signed in" },
    errors: ["UNAUTHORISED", "FORBIDDEN", "TOO_MANY_REQUESTS"],
  }),
  getSession: endpoint({
    id: "getSession",
    method: "GET",
    path: "/auth/session",
    tag: "Authentication",
    summary: "Who am I",
    access: "read",
    response: { status: 200, schema: SessionInfo, description: "The caller" },
  }),
  signOut: endpoint({
    id: "signOut",
    method: "DELETE",
    path: "/auth/session",
    tag: "Authentication",
    summary: "Sign out",
    access: "public",
    response: { status: 204, description: "Signed out (also without a session)" },
    errors: ["FORBIDDEN"],
  }),
  listApiKeys: endpoint({
    id: "listApiKeys",
    method: "GET",
    path: "/api-keys",
    tag: "API keys",
    summary: "List API keys",
    access: "admin",
    response: { status: 200, schema: ApiKeyList, description: "Keys, newest first" },
  }),
  createApiKey: endpoint({
    id: "createApiKey",
    method: "POST",
    path: "/api-keys",
    tag: "API keys",
    summary: "Create an API key",
    access: "admin",
    body: CreateApiKeyBody,
    response: { status: 201, schema: CreatedApiKey, description: "Created; the secret is shown once" },
  }),
  revokeApiKey: endpoint({
    id: "revokeApiKey",
    method: "DELETE",
    path: "/api-keys/{id}",
    tag: "API keys",
    summary: "Revoke an API key",
    description:
      "Idempotent; its sessions end on every instance at once. The last active Administrator key and the key " +
      "managed by SYNCWATCH_ADMIN_API_KEY cannot be revoked here (409).",
    access: "admin",
    params: IdParam,
    response: { status: 200, schema: ApiKeyInfo, description: "The revoked key" },
    errors: ["CONFLICT"],
  }),
} as const;
