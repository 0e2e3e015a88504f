/**
 * Store conditions (lib/db/errors.ts) as the drivers raise them: an unreachable store answers 503
 * with Retry-After, a full one 507, and the log line of an unexpected error carries no statement
 * parameters.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { describeForLog, storeConditionOf } from "@/lib/db/errors";
import { toErrorResponse } from "@/lib/http/errors";

afterEach(() => vi.restoreAllMocks());

/** What PGlite throws: the SQLSTATE, and the statement and its parameters attached. */
const pgliteDiskFull = Object.assign(new Error('could not extend file "base/5/16385": No space left on device'), {
  name: "error",
  code: "53100",
  severity: "ERROR",
  query: 'INSERT INTO "Activity" (name) VALUES ($1)',
  params: ["secret-customer-name"],
  detail: "Key (name)=(secret-customer-name)",
});
const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5499"), {
  code: "ECONNREFUSED",
  syscall: "connect",
  errno: -111,
});
/** What Prisma throws over the pg adapter when the server is down (P1001, the driver error inside). */
const prismaUnreachable = Object.assign(new Error("Can't reach database server at 127.0.0.1:5499"), {
  name: "PrismaClientKnownRequestError",
  code: "P1001",
  meta: { driverAdapterError: { name: "DriverAdapterError", cause: { kind: "DatabaseNotReachable" } } },
});
/** A driver error Prisma does not map, with the server's SQLSTATE inside. */
const prismaDiskFull = Object.assign(new Error("DriverAdapterError"), {
  name: "DriverAdapterError",
  cause: { kind: "postgres", code: "53100", message: "could not extend file", detail: "row (secret)" },
});

describe("storeConditionOf", () => {
  it("tells an unreachable store, a full one, and everything else apart", () => {
    expect(storeConditionOf(pgliteDiskFull)).toBe("full");
    expect(storeConditionOf(prismaDiskFull)).toBe("full");
    expect(storeConditionOf(Object.assign(new Error("write"), { code: "ENOSPC" }))).toBe("full");
    expect(storeConditionOf(refused)).toBe("unavailable");
    expect(storeConditionOf(prismaUnreachable)).toBe("unavailable");
    expect(
      storeConditionOf(
        Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }),
      ),
    ).toBe("unavailable");
    expect(storeConditionOf(new Error("timeout exceeded when trying to connect"))).toBe("unavailable");
    expect(storeConditionOf(Object.assign(new Error("the database system is starting up"), { code: "57P03" }))).toBe(
      "unavailable",
    );
    expect(storeConditionOf(Object.assign(new Error("duplicate key"), { code: "23505" }))).toBeNull();
    expect(storeConditionOf(new TypeError("x is undefined"))).toBeNull();
    expect(storeConditionOf(null)).toBeNull();
  });
});

describe("answers and log lines", () => {
  it("a store outage is a 503 with Retry-After, a full store a 507; neither is logged as a failure", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const down = toErrorResponse(prismaUnreachable, "r1");
    expect(down.status).toBe(503);
    expect(down.headers.get("retry-after")).toBe("5");
    expect((await down.json()).details).toEqual({ store: "unavailable" });
    const full = toErrorResponse(pgliteDiskFull, "r2");
    expect(full.status).toBe(507);
    const body = await full.json();
    expect(body.code).toBe("INSUFFICIENT_STORAGE");
    expect(body.message).toMatch(/disk is full/);
    expect(log).not.toHaveBeenCalled();
  });

  it("an unexpected error is logged with its code and message, never the statement or its parameters", () => {
    const lines: string[] = [];
    vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void lines.push(a.map(String).join(" ")));
    const odd = Object.assign(new Error('syntax error at or near "SELEC"'), {
      code: "42601",
      query: "SELEC $1",
      params: ["secret-customer-name"],
    });
    expect(toErrorResponse(odd, "r3").status).toBe(500);
    expect(lines.join("\n")).toMatch(/request r3 failed: Error \[42601\]: syntax error/);
    expect(lines.join("\n")).not.toMatch(/secret-customer-name|SELEC \$1/);
    expect(describeForLog(pgliteDiskFull)).not.toMatch(/secret|INSERT/);
    expect(describeForLog(prismaDiskFull)).toMatch(/\[53100\]/);
    expect(describeForLog(prismaDiskFull)).not.toMatch(/secret/);
  });
});
