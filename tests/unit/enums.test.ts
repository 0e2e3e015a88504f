import { describe, expect, it } from "vitest";
import * as prismaEnums from "@/lib/generated/prisma/enums";
import {
  ACTIVITY_STATUSES,
  ACTIVITY_TARGET_TYPES,
  API_KEY_ROLES,
  CONNECTED_SYSTEM_KINDS,
  ERROR_TYPES,
  INITIATOR_TYPES,
  OBJECT_CHANGE_TYPES,
  RUN_TYPES,
} from "@/lib/domain/enums";
import { COUNTER_FIELDS, COUNTER_GROUPS } from "@/lib/domain/counters";

describe("domain vocabularies", () => {
  it.each([
    ["ActivityStatus", ACTIVITY_STATUSES],
    ["ActivityTargetType", ACTIVITY_TARGET_TYPES],
    ["InitiatorType", INITIATOR_TYPES],
    ["RunType", RUN_TYPES],
    ["ObjectChangeType", OBJECT_CHANGE_TYPES],
    ["ExecutionErrorType", ERROR_TYPES],
    ["ApiKeyRole", API_KEY_ROLES],
    ["ConnectedSystemKind", CONNECTED_SYSTEM_KINDS],
  ] as const)("%s matches the Prisma schema", (name, values) => {
    const fromSchema = Object.values((prismaEnums as unknown as Record<string, Record<string, string>>)[name]);
    expect([...values].sort()).toEqual([...fromSchema].sort());
  });

  it("spells the six statuses and six error types exactly as the seeds", () => {
    expect(ACTIVITY_STATUSES).toEqual([
      "InProgress",
      "Complete",
      "CompleteWithWarning",
      "CompleteWithError",
      "FailedWithError",
      "Cancelled",
    ]);
    expect(ERROR_TYPES).toEqual([
      "AmbiguousMatch",
      "CouldNotMatchObjectType",
      "MissingExternalIdAttributeValue",
      "DuplicateObject",
      "UnresolvedReference",
      "UnhandledError",
    ]);
  });

  it("has seed 001's 23 counters, each shown in exactly one card group", () => {
    expect(COUNTER_FIELDS).toHaveLength(23);
    const grouped = COUNTER_GROUPS.flatMap((g) => g.fields);
    expect(new Set(grouped).size).toBe(grouped.length);
    expect([...grouped].sort()).toEqual([...COUNTER_FIELDS].sort());
  });
});
