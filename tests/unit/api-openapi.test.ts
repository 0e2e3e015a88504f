import { describe, expect, it } from "vitest";
import { OPENAPI_PATHS, buildOpenApiDocument } from "@/lib/api/openapi";

describe("OpenAPI document", () => {
  const doc = buildOpenApiDocument() as any;

  it("is OpenAPI 3.1 with every route and both security schemes", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual([...OPENAPI_PATHS].sort());
    expect(OPENAPI_PATHS.length).toBeGreaterThanOrEqual(19);
    expect(doc.components.securitySchemes.ApiKeyAuth.name).toBe("X-Api-Key");
    expect(doc.components.securitySchemes.SessionCookie).toEqual({
      type: "apiKey",
      in: "cookie",
      name: "syncwatch_session",
    });
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it("every $ref resolves and every operation documents its errors", () => {
    const text = JSON.stringify(doc);
    for (const m of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g))
      expect(doc.components.schemas[m[1]], m[1]).toBeDefined();
    for (const [path, ops] of Object.entries<any>(doc.paths))
      for (const [method, op] of Object.entries<any>(ops)) {
        expect(op.responses["500"], `${method} ${path}`).toBeDefined();
        if (op.security.length) expect(op.responses["401"], `${method} ${path}`).toBeDefined();
        for (const p of op.parameters ?? []) expect(p.schema, `${method} ${path} ${p.name}`).toBeDefined();
      }
  });

  it("uses input schemas for requests (defaults optional) and output schemas for responses", () => {
    const create = doc.components.schemas.CreateActivityBody;
    expect(create.required).toEqual(["name", "targetType"]);
    expect(create.additionalProperties).toBe(false);
    const items = doc.paths["/activities/{id}/items"].get.parameters;
    const page = items.find((p: any) => p.name === "page");
    expect(page).toMatchObject({ in: "query", required: false });
    expect(items.find((p: any) => p.name === "id")).toMatchObject({ in: "path", required: true });
    expect(doc.components.schemas.ActivityTree.properties.root.$ref).toBe("#/components/schemas/ActivityTreeNode");
    expect(Object.keys(doc.components.schemas.ExecutionStats.properties)).toHaveLength(23);
  });
});
