import { describe, expect, it, vi } from "vitest";

vi.mock("@/lib/engine", () => ({ getEngine: () => null }));

import { toErrorResponse, HttpError } from "@/lib/http/errors";
import {
  BadRequestError,
  ConflictError,
  NotFoundError,
  ServiceUnavailableError,
  domainErrorKind,
} from "@/lib/domain/errors";
import { ActivityAlreadyEndedError } from "@/lib/domain/recorder";
import { triggerRunProfile, triggerSchedule } from "@/lib/services/triggers";

async function mapped(e: unknown) {
  const r = toErrorResponse(e);
  return { status: r.status, body: await r.json() };
}

describe("error mapping", () => {
  it("maps domain and HTTP errors to the JSON error body", async () => {
    expect(await mapped(new NotFoundError("nope", { id: 1 }))).toEqual({
      status: 404,
      body: { code: "NOT_FOUND", message: "nope", details: { id: 1 } },
    });
    expect((await mapped(new BadRequestError("bad"))).status).toBe(400);
    expect((await mapped(new ConflictError("c"))).body.code).toBe("CONFLICT");
    expect((await mapped(new ServiceUnavailableError("off"))).status).toBe(503);
    expect(await mapped(new ActivityAlreadyEndedError("a1", "Complete"))).toMatchObject({
      status: 409,
      body: { code: "CONFLICT", details: { activityId: "a1", status: "Complete" } },
    });
    expect((await mapped(new HttpError("PAYLOAD_TOO_LARGE", "big"))).status).toBe(413);
    const unknown = await mapped(new Error("secret internals"));
    expect(unknown).toEqual({
      status: 500,
      body: { code: "INTERNAL_ERROR", message: "An unexpected error occurred." },
    });
  });

  it("recognises errors from another copy of the classes (Next bundles modules twice)", async () => {
    const foreign = Object.assign(new Error("elsewhere"), { isSyncwatchDomainError: true, kind: "NotFound" });
    expect(domainErrorKind(foreign)).toBe("NotFound");
    expect((await mapped(foreign)).status).toBe(404);
    const foreignHttp = Object.assign(new Error("too big"), { isSyncwatchHttpError: true, code: "PAYLOAD_TOO_LARGE" });
    expect((await mapped(foreignHttp)).status).toBe(413);
    expect(domainErrorKind(new Error("x"))).toBeNull();
  });

  it("triggers answer 503 SERVICE_UNAVAILABLE when the engine is off", async () => {
    const by = { type: "ApiKey" as const, id: "k", name: "k" };
    const e1 = await triggerRunProfile(1, 1, by).catch((e) => e);
    expect(domainErrorKind(e1)).toBe("ServiceUnavailable");
    expect((await mapped(e1)).status).toBe(503);
    const e2 = await triggerSchedule(1, by).catch((e) => e);
    expect((await mapped(e2)).body.code).toBe("SERVICE_UNAVAILABLE");
  });
});
