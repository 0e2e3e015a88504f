/** The breaking-change check the served document is held to (scripts/openapi-diff.ts). */
import { describe, expect, it } from "vitest";
import { breakingChanges } from "../../scripts/openapi-diff";

const list = (props: Record<string, unknown>, required = Object.keys(props)) => ({
  type: "object",
  properties: props,
  required,
});
const released = (): any => ({
  paths: {
    "/things": {
      get: {
        parameters: [
          { name: "status", in: "query", required: false, schema: { type: "string", enum: ["A", "B"] } },
          { name: "q", in: "query", required: false, schema: { type: "string", maxLength: 200 } },
        ],
        responses: {
          "200": {
            content: {
              "application/json": {
                schema: list({
                  total: { type: "integer" },
                  items: { type: "array", items: { $ref: "#/components/schemas/Thing" } },
                }),
              },
            },
          },
        },
      },
      post: {
        requestBody: { content: { "application/json": { schema: list({ name: { type: "string" } }, []) } } },
        responses: { "201": { content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } } } },
      },
    },
    "/old": { get: { deprecated: true, responses: { "200": {} } } },
  },
  components: { schemas: { Thing: list({ id: { type: "string" }, kind: { type: "string", enum: ["x", "y"] } }) } },
});
type Doc = ReturnType<typeof released>;
const change = (fn: (d: Doc) => void) => {
  const d = released();
  fn(d);
  return breakingChanges(released(), d);
};

describe("breaking changes between a released OpenAPI document and the served one", () => {
  it("finds none between a document and itself, nor in additions and widenings", () => {
    expect(breakingChanges(released(), released())).toEqual([]);
    expect(
      change((d) => {
        (d.paths as Record<string, unknown>)["/new"] = { get: { responses: {} } };
        d.paths["/things"].get.parameters[0].schema.enum.push("C");
        d.paths["/things"].get.parameters[1].schema.maxLength = 500;
        const total = d.paths["/things"].get.responses["200"].content["application/json"].schema.properties;
        total.total = { anyOf: [{ type: "integer" }, { type: "null" }] } as never;
        d.components.schemas.Thing.properties = { ...d.components.schemas.Thing.properties, extra: { type: "string" } };
      }),
    ).toEqual([]);
  });

  it("lets a deprecated operation go", () => {
    expect(change((d) => delete (d.paths as Record<string, unknown>)["/old"])).toEqual([]);
  });

  it("reports each kind of removal and narrowing", () => {
    expect(change((d) => delete (d.paths["/things"] as Record<string, unknown>).post)).toEqual([
      "POST /things: operation removed without a deprecation",
    ]);
    expect(change((d) => d.paths["/things"].get.parameters.pop())).toEqual([
      "GET /things parameter q (query): removed without a deprecation",
    ]);
    expect(change((d) => (d.paths["/things"].get.parameters[0].schema.enum = ["A"]))).toEqual([
      "GET /things parameter status (query): enum value B removed",
    ]);
    expect(change((d) => (d.paths["/things"].get.parameters[1].schema.maxLength = 100))).toEqual([
      "GET /things parameter q (query): maxLength tightened to 100",
    ]);
    expect(change((d) => Object.assign(d.paths["/things"].get.parameters[1], { required: true }))).toEqual([
      "GET /things parameter q (query): now required",
    ]);
    expect(change((d) => (d.components.schemas.Thing.properties.kind.enum = ["x"]))).toEqual([
      "GET /things response 200.items[].kind: enum value y removed",
      "POST /things response 201.kind: enum value y removed",
    ]);
    expect(change((d) => delete (d.components.schemas.Thing.properties as Record<string, unknown>).id)).toEqual([
      "GET /things response 200.items[].id: property removed without a deprecation",
      "POST /things response 201.id: property removed without a deprecation",
    ]);
    expect(
      change((d) => (d.paths["/things"].get.responses["200"].content["application/json"].schema.required = ["items"])),
    ).toEqual(["GET /things response 200.total: no longer always present"]);
    expect(
      change(
        (d) =>
          (d.paths["/things"].get.responses["200"].content["application/json"].schema.properties.total = {
            type: "string",
          }),
      ),
    ).toEqual(["GET /things response 200.total: type integer taken away"]);
    expect(
      change((d) => (d.paths["/things"].post.requestBody.content["application/json"].schema.required = ["name"])),
    ).toEqual(["POST /things request body.name: newly required"]);
  });

  it("lets a property go once the released document marks it deprecated", () => {
    const before = released();
    Object.assign(before.components.schemas.Thing.properties.kind, { deprecated: true });
    const after = released();
    delete (after.components.schemas.Thing.properties as Record<string, unknown>).kind;
    expect(breakingChanges(before, after)).toEqual([]);
  });
});
