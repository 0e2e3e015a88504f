/**
 * The free-text search of every list finds a name whatever Unicode form it was stored or typed in
 * (composed NFC "é" or decomposed NFD "e" + U+0301), and in any case: the activity list, a run's
 * execution items (and their CSV), the failing objects, the failure groups and the failures' CSV.
 * Names are kept as they were sent.
 */
import { describe, expect, it } from "vitest";
import { api, get, post, unique } from "./helpers";

const NFC = (s: string) => s.normalize("NFC");
const NFD = (s: string) => s.normalize("NFD");
const q = encodeURIComponent;

describe("search across Unicode normalisation forms", () => {
  const tag = unique("uni");
  // Stored composed, and stored decomposed.
  const jose = NFC(`${tag} José Núñez`);
  const renee = NFD(`${tag} Renée Löwe`);

  it("sends names that differ from their other form (the test means something)", () => {
    expect(NFD(jose)).not.toBe(jose);
    expect(NFC(renee)).not.toBe(renee);
  });

  it("activities: a decomposed term finds a composed name and the other way round, any case", async () => {
    const ids: Record<string, string> = {};
    for (const name of [jose, renee]) {
      const r = await post("/activities", { name, targetType: "DataGeneration" });
      expect(r.status, r.text).toBe(201);
      ids[name] = r.body.id;
    }
    const found = async (search: string) =>
      (await get(`/activities?search=${q(search)}&topLevelOnly=false`)).body.items.map((a: { id: string }) => a.id);
    expect(await found(NFD(`${tag} josé`))).toEqual([ids[jose]]);
    expect(await found(NFC(`${tag} JOSÉ NÚÑEZ`))).toEqual([ids[jose]]);
    expect(await found(NFD(`${tag} JOSÉ NÚÑEZ`))).toEqual([ids[jose]]);
    expect(await found(NFC(`${tag} renée`))).toEqual([ids[renee]]);
    expect(await found(NFC(`RENÉE LÖWE`)).then((l) => l.includes(ids[renee]))).toBe(true);
    expect(await found(NFD(`${tag} Renée`))).toEqual([ids[renee]]);
    expect((await found(tag)).sort()).toEqual([ids[jose], ids[renee]].sort());
    // The names come back as they were sent.
    const a = await get(`/activities/${ids[renee]}`);
    expect(a.body.name).toBe(renee);
  });

  it("items, failing objects, failure groups and both CSVs: either form, any case", async () => {
    const systems = (await get("/connected-systems")).body.items as {
      id: number;
      runProfiles: { id: number; runType: string }[];
    }[];
    const cs = systems.find((s) => s.runProfiles.some((p) => p.runType === "FullImport"))!;
    const rp = cs.runProfiles.find((p) => p.runType === "FullImport")!;
    const run = await post("/activities", {
      name: unique("uni-run"),
      targetType: "ConnectedSystemRunProfile",
      connectedSystemId: cs.id,
      runProfileId: rp.id,
    });
    expect(run.status, run.text).toBe(201);
    const item = (sequence: number, ext: string, displayName: string) => ({
      sequence,
      externalIdValue: ext,
      displayName,
      connectedSystemObjectType: "person",
      objectChangeType: "Add",
      errorType: "DuplicateObject",
      errorMessage: "two of them",
    });
    const items = [
      item(0, NFC(`${tag}-ext-Ångström`), jose),
      item(1, `${tag}-ext-2`, renee),
      item(2, `${tag}-ext-3`, `${tag} Other`),
    ];
    const sent = await post(`/activities/${run.body.id}/items`, { items });
    expect(sent.status, sent.text).toBe(200);
    const done = await post(`/activities/${run.body.id}/complete`, { counters: { totalObjectErrors: 3 } });
    expect(done.status, done.text).toBe(200);

    const itemNames = async (search: string) =>
      (await get(`/activities/${run.body.id}/items?search=${q(search)}`)).body.items
        .map((i: { externalIdValue: string }) => i.externalIdValue)
        .sort();
    expect(await itemNames(NFD("JOSÉ"))).toEqual([items[0].externalIdValue]);
    expect(await itemNames(NFC("renée löwe"))).toEqual([`${tag}-ext-2`]);
    expect(await itemNames(NFD("ångström"))).toEqual([items[0].externalIdValue]);
    const itemsCsv = await api("GET", `/activities/${run.body.id}/items.csv?search=${q(NFC("RENÉE"))}`);
    expect(itemsCsv.status).toBe(200);
    expect(itemsCsv.text.trim().split("\r\n")).toHaveLength(2);
    expect(itemsCsv.text).toContain(`${tag}-ext-2`);

    const scope = `connectedSystemId=${cs.id}`;
    const objects = async (search: string) =>
      (await get(`/failures/objects?${scope}&search=${q(search)}`)).body.items
        .map((o: { externalIdValue: string }) => o.externalIdValue)
        .sort();
    expect(await objects(NFD(`${tag} josé`))).toEqual([items[0].externalIdValue]);
    expect(await objects(NFC(`${tag} RENÉE`))).toEqual([`${tag}-ext-2`]);
    expect(await objects(NFD(`${tag}-EXT-ÅNGSTRÖM`))).toEqual([items[0].externalIdValue]);
    // The groups count through their own SQL: the same search, the same objects.
    const groupObjects = async (search: string) =>
      (await get(`/failures?${scope}&errorType=DuplicateObject&search=${q(search)}`)).body.items.reduce(
        (n: number, g: { objects: number }) => n + g.objects,
        0,
      );
    expect(await groupObjects(NFD(`${tag} JOSÉ`))).toBe(1);
    expect(await groupObjects(NFC(`${tag} renée`))).toBe(1);
    expect(await groupObjects(NFD(`${tag}-ext-ångström`))).toBe(1);
    expect(await groupObjects(tag)).toBe(3);
    const csv = await api("GET", `/failures.csv?${scope}&search=${q(NFD(`${tag} josé núñez`))}`);
    expect(csv.status).toBe(200);
    const lines = csv.text.trim().split("\r\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(items[0].externalIdValue);
  });
});
