import { describe, expect, it } from "vitest";
import { completionStatus, sumCounters, summariseChildStatuses } from "@/lib/domain/counters";
import { formatOutcomeSummary, parseOutcomeSummary } from "@/lib/domain/outcomes";
import { UUID_PATTERN, uuidv7 } from "@/lib/domain/ids";
import { percentOf, toSummary } from "@/lib/services/mappers";
import { generateApiKey, keyPrefix, sha256 } from "@/lib/auth/secrets";

describe("completionStatus", () => {
  it("errors beat warnings beat success", () => {
    expect(completionStatus({ objectErrors: 0, warnings: 0 })).toBe("Complete");
    expect(completionStatus({ objectErrors: 0, warnings: 2 })).toBe("CompleteWithWarning");
    expect(completionStatus({ objectErrors: 1, warnings: 2 })).toBe("CompleteWithError");
  });
});

describe("summariseChildStatuses", () => {
  it("follows the schedule rules", () => {
    expect(summariseChildStatuses(["Complete", "InProgress"])).toBe("InProgress");
    expect(summariseChildStatuses(["Complete", "InProgress"], true)).toBe("InProgress");
    expect(summariseChildStatuses(["Complete"], true)).toBe("Cancelled");
    expect(summariseChildStatuses([])).toBe("Complete");
    expect(summariseChildStatuses(["FailedWithError", "FailedWithError"])).toBe("FailedWithError");
    expect(summariseChildStatuses(["Complete", "FailedWithError"])).toBe("CompleteWithError");
    expect(summariseChildStatuses(["Complete", "Cancelled"])).toBe("CompleteWithError");
    expect(summariseChildStatuses(["Complete", "CompleteWithWarning"])).toBe("CompleteWithWarning");
    expect(summariseChildStatuses(["Complete", "Complete"])).toBe("Complete");
  });
});

describe("outcome summaries", () => {
  it("formats seed 002's summary and parses it back", () => {
    const s = formatOutcomeSummary([
      { type: "Projected", count: 1 },
      { type: "AttributeFlow", count: 15 },
      { type: "PendingExportCreated", count: 2 },
      { type: "Joined", count: 0 },
    ]);
    expect(s).toBe("Projected:1,AttributeFlow:15,PendingExportCreated:2");
    expect(formatOutcomeSummary([])).toBeNull();
    expect(parseOutcomeSummary(s)).toEqual([
      { type: "Projected", count: 1 },
      { type: "AttributeFlow", count: 15 },
      { type: "PendingExportCreated", count: 2 },
    ]);
  });
});

describe("uuidv7", () => {
  it("is a v7 uuid that sorts by time", () => {
    const ids = [uuidv7(1_000), uuidv7(2_000), uuidv7(1_700_000_000_000), uuidv7(1_700_000_000_001)];
    for (const id of ids) {
      expect(id).toMatch(UUID_PATTERN);
      expect(id[14]).toBe("7");
      expect("89ab").toContain(id[19]);
    }
    expect([...ids].sort()).toEqual(ids);
  });
});

describe("counters and mapping", () => {
  it("sums counters and computes percent", () => {
    expect(sumCounters([{ totalJoins: 1 }, { totalJoins: 2, totalCreated: 3 }]).totalJoins).toBe(3);
    expect(percentOf({ objectsToProcess: 200, objectsProcessed: 50, status: "InProgress" })).toBe(25);
    expect(percentOf({ objectsToProcess: null, objectsProcessed: 50, status: "InProgress" })).toBeNull();
    expect(percentOf({ objectsToProcess: null, objectsProcessed: 50, status: "Complete" })).toBe(100);
    expect(percentOf({ objectsToProcess: 10, objectsProcessed: 50, status: "InProgress" })).toBe(100);
  });

  it("reports the live execution time while running", () => {
    const started = new Date("2026-01-01T00:00:00Z");
    const row: any = {
      id: "x",
      name: "n",
      targetType: "DataGeneration",
      status: "InProgress",
      createdAt: started,
      startedAt: started,
      endedAt: null,
      executionTimeMs: null,
      totalActivityTimeMs: null,
      warnings: ["a"],
      initiatorType: "System",
      initiatorId: null,
      initiatorName: "s",
      objectsToProcess: null,
      objectsProcessed: 0,
    };
    const s = toSummary(row, started.getTime() + 5_000);
    expect(s.executionTimeMs).toBe(5_000);
    expect(s.warningCount).toBe(1);
    expect(s.ended).toBeNull();
  });
});

describe("API key secrets", () => {
  it("are sw_ + 32 random bytes base64url, stored as sha256 and a 10-character prefix", () => {
    const k = generateApiKey();
    expect(k.secret).toMatch(/^sw_[A-Za-z0-9_-]{43}$/);
    expect(k.prefix).toBe(k.secret.slice(0, 10));
    expect(keyPrefix(k.secret)).toHaveLength(10);
    expect(k.secretHash).toBe(sha256(k.secret));
    expect(k.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(generateApiKey().secret).not.toBe(k.secret);
  });
});
