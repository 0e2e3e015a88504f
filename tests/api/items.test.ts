import { beforeAll, describe, expect, it } from "vitest";
import { MAX_ITEMS_PER_BATCH } from "@/lib/api/limits";
import { api, createPlain, createRun, expectError, get, makeItems, post, unique } from "./helpers";

const N = 250;
let run: any;
let all: any[] = [];

beforeAll(async () => {
  run = await createRun();
  const r1 = await post(`/activities/${run.id}/items`, { items: makeItems(0, 150) });
  expect(r1.status, r1.text).toBe(200);
  const r2 = await post(`/activities/${run.id}/items`, { items: makeItems(150, N - 150) });
  expect(r2.body).toEqual({ received: 100, inserted: 100, duplicates: 0 });
  all = (await get(`/activities/${run.id}/items?pageSize=100`)).body.items;
  for (let page = 2; page <= 3; page++)
    all.push(...(await get(`/activities/${run.id}/items?pageSize=100&page=${page}`)).body.items);
});

describe("POST /activities/{id}/items", () => {
  it("is idempotent per sequence: the same batch twice inserts once", async () => {
    const a = await createRun();
    const batch = makeItems(0, 20);
    expect((await post(`/activities/${a.id}/items`, { items: batch })).body).toEqual({
      received: 20,
      inserted: 20,
      duplicates: 0,
    });
    expect((await post(`/activities/${a.id}/items`, { items: batch })).body).toEqual({
      received: 20,
      inserted: 0,
      duplicates: 20,
    });
    expect((await post(`/activities/${a.id}/items`, { items: makeItems(10, 20) })).body).toEqual({
      received: 20,
      inserted: 10,
      duplicates: 10,
    });
    expect((await get(`/activities/${a.id}/items`)).body.totalCount).toBe(30);
  });

  it("a batch with one invalid item is refused and inserts nothing", async () => {
    const a = await createRun();
    const batch: any[] = makeItems(0, 50);
    batch[37] = { ...batch[37], errorType: "NotAnError" };
    expectError(await post(`/activities/${a.id}/items`, { items: batch }), 400, "BAD_REQUEST");
    batch[37] = { ...batch[37], errorType: null, surprise: 1 };
    expectError(await post(`/activities/${a.id}/items`, { items: batch }), 400, "BAD_REQUEST");
    expect((await get(`/activities/${a.id}/items`)).body.totalCount).toBe(0);
  });

  it("refuses empty batches and non-run-profile activities", async () => {
    const a = await createRun();
    expectError(await post(`/activities/${a.id}/items`, { items: [] }), 400, "BAD_REQUEST");
    expect((await get(`/activities/${a.id}/items`)).body.totalCount).toBe(0);
    const plain = await createPlain();
    expectError(await post(`/activities/${plain.id}/items`, { items: makeItems(0, 1) }), 400, "BAD_REQUEST");
    expectError(
      await post(`/activities/01234567-89ab-7def-8123-456789abcdef/items`, { items: makeItems(0, 1) }),
      404,
      "NOT_FOUND",
    );
    expectError(
      await api("POST", `/activities/${a.id}/items`, { rawBody: "items", headers: { "Content-Type": "text/csv" } }),
      415,
      "UNSUPPORTED_MEDIA_TYPE",
    );
  });
});

describe(`batches of ${MAX_ITEMS_PER_BATCH} items`, () => {
  /** A full batch whose objects belong to this test alone (every 10th item failed: 500 of 5,000). */
  const fullBatch = (tag: string, count = MAX_ITEMS_PER_BATCH) =>
    makeItems(0, count).map((i) => ({ ...i, externalIdValue: `${tag}-${i.sequence}` }));
  const failedOf = (count: number) => Math.ceil(count / 10);

  it("a full batch is stored whole: items, failed items, counters, failing objects and their events", async () => {
    expect(MAX_ITEMS_PER_BATCH).toBe(5000);
    const tag = unique("full");
    const a = await createRun();
    const r = await post(`/activities/${a.id}/items`, { items: fullBatch(tag) });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toEqual({ received: 5000, inserted: 5000, duplicates: 0 });
    const items = await get(`/activities/${a.id}/items?pageSize=1`);
    expect(items.body.totalCount).toBe(5000);
    expect((await get(`/activities/${a.id}/items?pageSize=1&errorType=any`)).body.totalCount).toBe(failedOf(5000));
    const activity = (await get(`/activities/${a.id}`)).body;
    expect(activity).toMatchObject({ itemCount: 5000, failedItemCount: 500, totalObjectErrors: 500 });
    // every failed item's object is failing, with one Failed event of this run
    const objects = await get(`/failures/objects?activityId=${a.id}&search=${tag}&pageSize=100&count=exact`);
    expect(objects.status, objects.text).toBe(200);
    expect(objects.body.totalCount).toBe(500);
    const one = await get(`/failures/objects/${objects.body.items[0].id}`);
    expect(one.body.history.filter((e: { activityId: string }) => e.activityId === a.id)).toEqual([
      expect.objectContaining({ kind: "Failed", activityId: a.id }),
    ]);
    const failed = await get(`/activities/${a.id}/items?pageSize=100&errorType=any`);
    expect(failed.body.items.every((i: { recurrence: string | null }) => i.recurrence === "New")).toBe(true);
  });

  it("the same full batch posted again is all duplicates and changes no counter", async () => {
    const tag = unique("again");
    const a = await createRun();
    const batch = fullBatch(tag);
    expect((await post(`/activities/${a.id}/items`, { items: batch })).body.inserted).toBe(5000);
    const before = (await get(`/activities/${a.id}`)).body;
    const again = await post(`/activities/${a.id}/items`, { items: batch });
    expect(again.status, again.text).toBe(200);
    expect(again.body).toEqual({ received: 5000, inserted: 0, duplicates: 5000 });
    const after = (await get(`/activities/${a.id}`)).body;
    expect(after).toMatchObject({ itemCount: 5000, failedItemCount: 500, totalObjectErrors: 500 });
    expect(after.itemCount).toBe(before.itemCount);
    const objects = await get(`/failures/objects?activityId=${a.id}&search=${tag}&pageSize=1&count=exact`);
    expect(objects.body.totalCount).toBe(500);
    const one = await get(`/failures/objects/${objects.body.items[0].id}`);
    expect(one.body.totalFailures).toBe(1);
    expect(one.body.history.filter((e: { activityId: string }) => e.activityId === a.id)).toHaveLength(1);
  });

  it("concurrent batches of one run: every item once, exact counters, one Failed event per object and run", async () => {
    const tag = unique("parallel");
    const a = await createRun();
    // 4 batches of 250 (and the first sent twice), whose failed items (every 10th) are 5 objects
    const items = makeItems(0, 1000).map((i) => ({ ...i, externalIdValue: `${tag}-${i.sequence % 50}` }));
    const batches = [0, 1, 2, 3, 0].map((b) => items.slice(b * 250, (b + 1) * 250));
    const answers = await Promise.all(batches.map((batch) => post(`/activities/${a.id}/items`, { items: batch })));
    for (const r of answers) expect(r.status, r.text).toBe(200);
    expect(answers.reduce((n, r) => n + r.body.inserted, 0)).toBe(1000);
    expect(answers.reduce((n, r) => n + r.body.duplicates, 0)).toBe(250);
    expect((await get(`/activities/${a.id}`)).body).toMatchObject({
      itemCount: 1000,
      failedItemCount: 100,
      totalObjectErrors: 100,
    });
    const objects = await get(`/failures/objects?activityId=${a.id}&search=${tag}&pageSize=100&count=exact`);
    expect(objects.body.totalCount).toBe(5);
    for (const o of objects.body.items) {
      const detail = (await get(`/failures/objects/${o.id}`)).body;
      expect(detail.totalFailures).toBe(1);
      expect(detail.history.filter((e: { activityId: string }) => e.activityId === a.id)).toHaveLength(1);
    }
  });

  it(`${MAX_ITEMS_PER_BATCH + 1} items are refused with 400 naming the limit; nothing is stored`, async () => {
    const a = await createRun();
    const r = await post(`/activities/${a.id}/items`, { items: fullBatch(unique("over"), MAX_ITEMS_PER_BATCH + 1) });
    expectError(r, 400, "BAD_REQUEST");
    expect(r.text).toContain(String(MAX_ITEMS_PER_BATCH));
    expect(r.text).toContain("items");
    expect((await get(`/activities/${a.id}/items`)).body.totalCount).toBe(0);
    expect((await get(`/activities/${a.id}`)).body).toMatchObject({ itemCount: 0, failedItemCount: 0 });
  });

  it("a full batch holding an item id stored in another run is a 409 naming it; nothing of it is stored", async () => {
    const first = await createRun();
    expect((await post(`/activities/${first.id}/items`, { items: makeItems(0, 1) })).status).toBe(200);
    const id = (await get(`/activities/${first.id}/items?pageSize=1`)).body.items[0].id;
    const tag = unique("reused");
    const a = await createRun();
    const batch: any[] = fullBatch(tag);
    batch[4321] = { ...batch[4321], id };
    const r = await post(`/activities/${a.id}/items`, { items: batch });
    expectError(r, 409, "CONFLICT");
    expect(r.body.details).toEqual({ ids: [id] });
    expect(r.body.message).toContain(id);
    expect((await get(`/activities/${a.id}/items`)).body.totalCount).toBe(0);
    expect((await get(`/activities/${a.id}`)).body).toMatchObject({ itemCount: 0, failedItemCount: 0 });
    expect((await get(`/failures/objects?activityId=${a.id}&search=${tag}&count=exact`)).body.totalCount).toBe(0);
    // without the reused id the same batch is taken whole
    batch[4321] = { ...batch[4321], id: undefined };
    expect((await post(`/activities/${a.id}/items`, { items: batch })).body.inserted).toBe(5000);
  });
});

describe("GET /activities/{id}/items (seed 002)", () => {
  it("returns the seed envelope and item fields", async () => {
    const r = await get(`/activities/${run.id}/items`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      totalCount: N,
      page: 1,
      pageSize: 25,
      totalPages: 10,
      hasNextPage: true,
      hasPreviousPage: false,
    });
    expect(typeof r.body.nextCursor).toBe("string");
    const item = r.body.items[1];
    expect(Object.keys(item)).toEqual(
      expect.arrayContaining([
        "id",
        "externalIdValue",
        "displayName",
        "connectedSystemObjectType",
        "objectChangeType",
        "errorType",
        "outcomeSummary",
        "errorMessage",
        "sequence",
        "processedAt",
      ]),
    );
    expect(item).toMatchObject({
      sequence: 1,
      externalIdValue: "ext-000001",
      displayName: "Person 000001",
      connectedSystemObjectType: "user",
      objectChangeType: "Update",
      errorType: null,
      outcomeSummary: "AttributeFlow:2,Projected:1",
    });
    expect(r.body.items[0]).toMatchObject({ errorType: "AmbiguousMatch", outcomeSummary: null, displayName: null });
    expect(all.map((x) => x.sequence)).toEqual([...Array(N).keys()]);
  });

  it("filters by errorType (list, any, none), changeType, objectType and search", async () => {
    const count = async (qs: string) => (await get(`/activities/${run.id}/items?${qs}`)).body.totalCount;
    const expected = (f: (x: any) => boolean) => all.filter(f).length;
    expect(await count("errorType=any")).toBe(expected((x) => x.errorType !== null));
    expect(await count("errorType=none")).toBe(expected((x) => x.errorType === null));
    expect(await count("errorType=DuplicateObject,AmbiguousMatch")).toBe(
      expected((x) => ["DuplicateObject", "AmbiguousMatch"].includes(x.errorType)),
    );
    expect(await count("errorType=DuplicateObject&errorType=none")).toBe(
      expected((x) => x.errorType === "DuplicateObject" || x.errorType === null),
    );
    expect(await count("changeType=Add")).toBe(expected((x) => x.objectChangeType === "Add"));
    expect(await count("changeType=Add,Delete&objectType=user")).toBe(
      expected((x) => ["Add", "Delete"].includes(x.objectChangeType) && x.connectedSystemObjectType === "user"),
    );
    expect(await count("objectType=group")).toBe(expected((x) => x.connectedSystemObjectType === "group"));
    expect(await count("search=person%2000012")).toBe(
      expected((x) => (x.displayName ?? "").toLowerCase().includes("person 00012")),
    );
    expect(await count("search=EXT-00002")).toBe(expected((x) => x.externalIdValue.includes("ext-00002")));
    expectError(await get(`/activities/${run.id}/items?errorType=Oops`), 400, "BAD_REQUEST");
    expectError(await get(`/activities/${run.id}/items?changeType=Create`), 400, "BAD_REQUEST");
    expectError(await get(`/activities/${run.id}/items?status=x`), 400, "BAD_REQUEST");
  });

  it("facets count per dimension for the filter, each ignoring its own filter", async () => {
    const r = await get(`/activities/${run.id}/items?errorType=DuplicateObject&changeType=Add`);
    const f = r.body.facets;
    // error types: filtered by changeType=Add only
    const adds = all.filter((x) => x.objectChangeType === "Add");
    expect(f.errorTypes.none).toBe(adds.filter((x) => x.errorType === null).length);
    for (const [k, v] of Object.entries(f.errorTypes))
      if (k !== "none") expect(v).toBe(adds.filter((x) => x.errorType === k).length);
    // change types: filtered by errorType only
    const dups = all.filter((x) => x.errorType === "DuplicateObject");
    for (const c of ["Add", "Update", "Delete", "Disconnect"])
      expect(f.changeTypes[c] ?? 0).toBe(dups.filter((x) => x.objectChangeType === c).length);
    // object types: both filters
    const both = dups.filter((x) => x.objectChangeType === "Add");
    expect((f.objectTypes.user ?? 0) + (f.objectTypes.group ?? 0)).toBe(both.length);
    expect(r.body.totalCount).toBe(both.length);
  });

  const SORTS = [
    "sequence",
    "displayName",
    "externalIdValue",
    "objectChangeType",
    "errorType",
    "connectedSystemObjectType",
  ];
  for (const sort of SORTS) {
    for (const order of ["asc", "desc"]) {
      it(`sort=${sort} order=${order}: cursor paging equals offset paging`, async () => {
        const base = `/activities/${run.id}/items?sort=${sort}&order=${order}&pageSize=40`;
        const offset: number[] = [];
        for (let page = 1; page <= 7; page++) {
          const r = await get(`${base}&page=${page}`);
          expect(r.status, r.text).toBe(200);
          offset.push(...r.body.items.map((x: any) => x.sequence));
        }
        expect(offset.length).toBe(N);
        expect(new Set(offset).size).toBe(N);
        const cursor: number[] = [];
        let next: string | null = null;
        for (let n = 0; n < 10; n++) {
          const r: any = await get(`${base}${next ? `&cursor=${next}` : ""}`);
          expect(r.status, r.text).toBe(200);
          cursor.push(...r.body.items.map((x: any) => x.sequence));
          next = r.body.nextCursor;
          if (!next) break;
        }
        expect(cursor).toEqual(offset);
        if (sort === "sequence")
          expect(offset).toEqual(order === "asc" ? [...Array(N).keys()] : [...Array(N).keys()].reverse());
        if (sort === "externalIdValue")
          expect(offset).toEqual(order === "asc" ? [...Array(N).keys()] : [...Array(N).keys()].reverse());
        if (sort === "displayName") {
          // NULL names (every 7th) last ascending, first descending
          const nulls = all.filter((x) => x.displayName === null).length;
          const head = offset.slice(0, nulls);
          const tail = offset.slice(N - nulls);
          expect((order === "asc" ? tail : head).every((s) => s % 7 === 0)).toBe(true);
        }
      });
    }
  }

  it("paging edges: beyond the last page, pageSize 100/101, page 0", async () => {
    const r = await get(`/activities/${run.id}/items?page=99&pageSize=50`);
    expect(r.body).toMatchObject({
      items: [],
      totalCount: N,
      totalPages: 5,
      hasNextPage: false,
      hasPreviousPage: true,
      nextCursor: null,
    });
    expect((await get(`/activities/${run.id}/items?pageSize=100`)).body.items.length).toBe(100);
    expectError(await get(`/activities/${run.id}/items?pageSize=101`), 400, "BAD_REQUEST");
    expectError(await get(`/activities/${run.id}/items?page=0`), 400, "BAD_REQUEST");
  });

  it("400 for a non-run-profile activity, 404 for an unknown one", async () => {
    const plain = await createPlain();
    expectError(await get(`/activities/${plain.id}/items`), 400, "BAD_REQUEST");
    expectError(await get(`/activities/${plain.id}/items.csv`), 400, "BAD_REQUEST");
    expectError(await get(`/activities/01234567-89ab-7def-8123-456789abcdef/items`), 404, "NOT_FOUND");
  });
});

describe("GET /activities/{id}/items/{itemId}", () => {
  it("returns the detail with outcomes, attribute changes and the connected system", async () => {
    const id = all[3].id;
    const r = await get(`/activities/${run.id}/items/${id}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      id,
      activityId: run.id,
      sequence: 3,
      outcomes: [
        { type: "AttributeFlow", count: 4 },
        { type: "Projected", count: 1 },
      ],
      attributeChanges: [{ attribute: "mail", operation: "SET", oldValue: null, newValue: "p3@example.com" }],
      connectedSystemId: run.connectedSystemId,
      connectedSystemName: run.connectedSystemName,
      metaverseObjectId: null,
    });
  });

  it("404 when the item is not in that activity; 400 for malformed ids", async () => {
    const other = await createRun();
    expectError(await get(`/activities/${other.id}/items/${all[0].id}`), 404, "NOT_FOUND");
    expectError(await get(`/activities/${run.id}/items/01234567-89ab-7def-8123-456789abcdef`), 404, "NOT_FOUND");
    expectError(await get(`/activities/${run.id}/items/xyz`), 400, "BAD_REQUEST");
  });
});

describe("CSV export", () => {
  function parseCsv(text: string): string[][] {
    const rows: string[][] = [];
    let row: string[] = [];
    let field = "";
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') {
          field += '"';
          i++;
        } else if (c === '"') quoted = false;
        else field += c;
      } else if (c === '"') quoted = true;
      else if (c === ",") {
        row.push(field);
        field = "";
      } else if (c === "\r" && text[i + 1] === "\n") {
        row.push(field);
        rows.push(row);
        row = [];
        field = "";
        i++;
      } else field += c;
    }
    return rows;
  }

  it("streams every matching item with escaping and the list's filters and order", async () => {
    const r = await get(`/activities/${run.id}/items.csv`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(r.headers.get("content-disposition")).toMatch(/^attachment; filename="activity-.*\.csv"$/);
    const rows = parseCsv(r.text);
    expect(rows[0]).toEqual(
      expect.arrayContaining([
        "sequence",
        "id",
        "externalIdValue",
        "displayName",
        "errorType",
        "errorMessage",
        "outcomeSummary",
      ]),
    );
    expect(rows.length - 1).toBe(N);
    const msgCol = rows[0].indexOf("errorMessage");
    expect(rows[1][msgCol]).toBe('Problem with "object" 0, see log');
    const filtered = await get(`/activities/${run.id}/items.csv?errorType=any&sort=externalIdValue&order=desc`);
    const frows = parseCsv(filtered.text);
    expect(frows.length - 1).toBe(all.filter((x) => x.errorType).length);
    expect(Number(frows[1][0])).toBe(Math.max(...all.filter((x) => x.errorType).map((x) => x.sequence)));
    expectError(await get(`/activities/${run.id}/items.csv?page=2`), 400, "BAD_REQUEST");
  });

  it("exports more than one batch of 1,000", async () => {
    const big = await createRun();
    await post(`/activities/${big.id}/items`, { items: makeItems(0, 1000) });
    await post(`/activities/${big.id}/items`, { items: makeItems(1000, 500) });
    const r = await get(`/activities/${big.id}/items.csv`);
    const lines = r.text.split("\r\n").filter(Boolean);
    expect(lines.length - 1).toBe(1500);
    expect(new Set(lines.slice(1).map((l) => l.split(",")[0])).size).toBe(1500);
  });
});
