/**
 * fast-check arbitraries derived from the document's JSON Schemas: valid values (types, enums,
 * uuid and date-time formats, ranges, lengths, patterns; real ids part of the time) and hostile
 * ones (a single fault: out of range, wrong type, NUL or lone surrogates, unknown or missing
 * properties, ...). A hostile value says whether the document certainly refuses it.
 */
import fc from "fast-check";
import type { ApiDoc, Json, Operation, Param } from "./doc";
import {
  DATE_HOSTILE,
  INT4_MAX,
  JSON_CONTENT_TYPES,
  LONG,
  MAX_DATE,
  MIN_DATE,
  NOT_JSON,
  TEXT_INTEGERS,
  UUID_HOSTILE,
  WRONG_CONTENT_TYPES,
  integerRefused,
  jsonIntegers,
  textIntegerRefused,
  textRefused,
  characters,
  texts,
} from "./hostile";
import { Raw, Ref, type PoolName } from "./values";

/** A generated value and whether the document certainly refuses it. */
export interface Mut {
  value: unknown;
  certain: boolean;
  note: string;
}

/** One request, before its references are resolved. */
export interface FuzzRequest {
  op: Operation;
  method: string;
  /** Path segments below /api/v1: literal text (sent as is) or a reference to a real id. */
  segments: (string | Ref)[];
  /** Query pairs, already percent-encoded (values may be references). */
  query: [string, string | Ref][];
  headers: Record<string, string>;
  auth: "admin" | "none" | "readOnly";
  body: { json: unknown } | { raw: string | Uint8Array } | null;
  /** The document certainly refuses this request: a 2xx answer contradicts it. */
  certain: boolean;
  note: string;
}

interface BodyPart {
  body: FuzzRequest["body"];
  contentType?: string;
  certain: boolean;
  note: string;
}

/** Real cursors of a list, with the query that made them (sort/order must match). */
export interface CursorSample {
  cursor: string;
  params: [string, string][];
}

export interface GenOptions {
  /** Real cursors by path template. */
  cursors: Map<string, CursorSample[]>;
  /** Keep the dates of GET /failures within this span (see the test file for why). */
  failureSpan: [number, number];
  adminKey: string;
}

/** A query pair written as its key alone (junk such as "&&" or "=="). */
export const KEY_ONLY = "\u0000key-only";

const STORABLE = /^(?:[^\u0000\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;
const INTERESTING_TEXT = [
  "fuzz",
  "50%_done",
  "O'Brien",
  "Ünïcødé naïve",
  "日本語のテキスト",
  "🙂👍🏽🇳🇱",
  "a\\b",
  "  padded  ",
  "%",
  "_",
  "\t tab",
  "line\nbreak",
  "Ω≈ç√∫",
  "null",
  "<b>bold</b>",
];

/** Weighted choice; the result type is given where the choices differ (oneOf<unknown>(…)). */
const oneOf = <T>(...arbs: { arbitrary: fc.Arbitrary<T>; weight: number }[]): fc.Arbitrary<T> => fc.oneof(...arbs);
const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });

const pad = (n: number, l = 2) => String(n).padStart(l, "0");

/** An ISO date-time in one of several spellings (offsets, with or without fractions). */
function spell(t: number, style: number): string {
  const nearEdge = t - MIN_DATE < 86_400_000 || MAX_DATE - t < 86_400_000;
  const offsets = [0, 60, -300, 330, 840, -720];
  const offset = nearEdge ? 0 : offsets[style % offsets.length];
  const d = new Date(t + offset * 60_000);
  const frac = [`.${pad(d.getUTCMilliseconds(), 3)}`, "", `.${pad(d.getUTCMilliseconds(), 3)}999`][style % 3];
  const base =
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${frac}`;
  if (offset === 0) return `${base}Z`;
  const a = Math.abs(offset);
  return `${base}${offset < 0 ? "-" : "+"}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

export function dateArb(span?: [number, number]): fc.Arbitrary<string> {
  const near = fc.integer({ min: Date.parse("2020-01-01T00:00:00Z"), max: Date.parse("2030-12-31T00:00:00Z") });
  if (span)
    return oneOf(
      w(
        12,
        fc.tuple(fc.integer({ min: span[0], max: span[1] }), fc.nat()).map(([t, s]) => spell(t, s)),
      ),
      w(1, fc.constant("9999-12-31T23:59:59.999Z")),
    );
  return oneOf(
    w(
      5,
      fc.tuple(near, fc.nat()).map(([t, s]) => spell(t, s)),
    ),
    w(
      2,
      fc.tuple(fc.integer({ min: MIN_DATE, max: MAX_DATE }), fc.nat()).map(([t, s]) => spell(t, s)),
    ),
    w(
      1,
      fc.constantFrom(
        "1970-01-01T00:00:00Z",
        "1970-01-01T00:00:00.000+00:00",
        "9999-12-31T23:59:59Z",
        "9999-12-31T23:59:59.999Z",
        "2024-02-29T12:00:00+05:30",
        "2000-01-01T00:00:00.123456Z",
      ),
    ),
  );
}

export function textArb(minLength: number, maxLength: number): fc.Arbitrary<string> {
  const cap = Math.min(maxLength, 40);
  const fixed = [...INTERESTING_TEXT, "x".repeat(Math.min(maxLength, 25_000))].filter(
    (s) => s.length >= minLength && s.length <= maxLength,
  );
  return oneOf(
    w(5, fc.string({ unit: "grapheme-ascii", minLength, maxLength: cap })),
    w(2, fc.string({ unit: "grapheme", minLength, maxLength: Math.min(cap, 12) })),
    w(1, fc.string({ unit: "binary", minLength, maxLength: Math.min(cap, 12) })),
    w(2, fc.constantFrom(...fixed)),
  ).filter((s) => s.length >= minLength && s.length <= maxLength && STORABLE.test(s) && s.trim().length >= minLength);
}

export function intArb(min: number, max: number): fc.Arbitrary<number> {
  const edges = [...new Set([min, max, min + 1, max - 1].filter((n) => n >= min && n <= max))];
  return oneOf(
    w(4, fc.integer({ min, max: Math.min(max, min + 200) })),
    w(2, fc.integer({ min, max })),
    w(1, fc.constantFrom(...edges)),
  );
}

const numberOr = (s: Json, key: string, fallback: number) =>
  typeof s[key] === "number" ? (s[key] as number) : fallback;

/** Builds arbitraries for one document. */
export class Gen {
  constructor(
    readonly doc: ApiDoc,
    readonly options: GenOptions,
  ) {}

  private ref(pool: PoolName): fc.Arbitrary<Ref> {
    return fc.nat({ max: 10_000 }).map((i) => new Ref(pool, i));
  }

  /** Enum values of a schema, also through anyOf of enums (["ErrorType", "any"/"none"]). */
  private enumOf(s: Json): string[] | null {
    if (Array.isArray(s.enum)) return s.enum as string[];
    if (Array.isArray(s.anyOf)) {
      const parts = (s.anyOf as Json[]).map((b) => this.enumOf(this.doc.resolve(b)));
      if (parts.every((p): p is string[] => p !== null)) return parts.flat();
    }
    return null;
  }

  private nullable(s: Json): { inner: Json; nullable: boolean } {
    if (!Array.isArray(s.anyOf)) return { inner: s, nullable: false };
    const branches = (s.anyOf as Json[]).map((b) => this.doc.resolve(b));
    const others = branches.filter((b) => b.type !== "null");
    if (others.length === 1) return { inner: others[0], nullable: others.length < branches.length };
    return { inner: s, nullable: others.length < branches.length };
  }

  /** Real ids for fields that name them, so that requests reach past the lookups. */
  private hint(name: string): fc.Arbitrary<unknown> | null {
    switch (name) {
      case "connectedSystemId":
        return oneOf<unknown>(w(4, this.ref("cs")), w(1, intArb(1, INT4_MAX)));
      case "runProfileId":
        return oneOf<unknown>(w(4, this.ref("rp")), w(1, intArb(1, INT4_MAX)));
      case "scheduleId":
        return oneOf<unknown>(w(4, this.ref("schedule")), w(1, intArb(1, INT4_MAX)));
      case "parentActivityId":
      case "scheduleExecutionId":
        return oneOf<unknown>(w(3, this.ref("scheduleExecution")), w(2, this.ref("activity")), w(1, fc.uuid()));
      case "parentId":
        return oneOf<unknown>(w(3, this.ref("activity")), w(1, fc.uuid()));
      case "sequence":
        return oneOf(w(4, fc.integer({ min: 0, max: 300 })), w(1, intArb(0, INT4_MAX)));
      case "stepIndex":
        return oneOf(w(4, fc.integer({ min: 1, max: 6 })), w(1, intArb(1, 10_000)));
      case "initiatorName":
        return oneOf(w(2, fc.constantFrom("Environment administrator key", "fuzz-initiator")), w(1, textArb(1, 200)));
      case "search":
        return oneOf(w(2, fc.constantFrom("fuzz", "50%_", "Person", "ext-0", "%", "_", "\\")), w(3, textArb(1, 200)));
      case "apiKey":
        return oneOf(w(1, fc.constant(this.options.adminKey)), w(3, textArb(8, 60)));
      case "query":
        return oneOf(
          w(2, fc.constantFrom("status=FailedWithError&topLevelOnly=false", "sort=name&order=asc", "state=Open", "")),
          w(
            1,
            textArb(0, 60).filter((q) => !q.startsWith("?") && !/[\s#]/.test(q)),
          ),
        );
      default:
        return null;
    }
  }

  /** A value the schema accepts (JSON; may hold references). */
  valid(schema: Json, name: string, op: Operation): fc.Arbitrary<unknown> {
    const s = this.doc.resolve(schema);
    const hinted = this.hint(name);
    if (hinted) return hinted;
    const en = this.enumOf(s);
    if (en) return fc.constantFrom(...en);
    if (s.const !== undefined) return fc.constant(s.const);
    const { inner, nullable } = this.nullable(s);
    if (nullable) return oneOf(w(3, this.valid(inner, name, op)), w(1, fc.constant(null)));
    if (Array.isArray(s.anyOf)) return fc.oneof(...(s.anyOf as Json[]).map((b) => this.valid(b, name, op)));
    switch (s.type) {
      case "object":
        return this.validObject(s, op);
      case "array": {
        const minLength = numberOr(s, "minItems", 0);
        const maxLength = Math.max(minLength, Math.min(numberOr(s, "maxItems", 5), 5));
        return fc.array(this.valid(s.items as Json, name, op), { minLength, maxLength });
      }
      case "integer":
        return intArb(numberOr(s, "minimum", -INT4_MAX), numberOr(s, "maximum", INT4_MAX));
      case "number":
        return fc.double({ noNaN: true, noDefaultInfinity: true });
      case "boolean":
        return fc.boolean();
      case "string":
        if (s.format === "uuid") return fc.uuid();
        if (s.format === "date-time")
          return dateArb(op.id === "listFailureGroups" ? this.options.failureSpan : undefined);
        if (s.pattern === "^\\d{1,10}$")
          return oneOf<unknown>(w(3, this.ref("cs")), w(1, intArb(1, INT4_MAX).map(String)));
        return textArb(numberOr(s, "minLength", 0), numberOr(s, "maxLength", 200));
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  }

  private validObject(s: Json, op: Operation): fc.Arbitrary<Record<string, unknown>> {
    const props = (s.properties ?? {}) as Record<string, Json>;
    const required = (s.required ?? []) as string[];
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [k, p] of Object.entries(props)) model[k] = this.valid(p, k, op);
    const record = fc.record(model, { requiredKeys: required }) as fc.Arbitrary<Record<string, unknown>>;
    // A real (connected system, run profile) pair most of the time, so that creates reach the store.
    if (!("connectedSystemId" in props && "runProfileId" in props)) return record;
    return fc.tuple(record, fc.nat({ max: 9 }), fc.nat({ max: 10_000 })).map(([o, dice, i]) => {
      if (dice >= 6) return o;
      const out: Record<string, unknown> = {
        ...o,
        connectedSystemId: new Ref("pairCs", i),
        runProfileId: new Ref("pairRp", i),
      };
      if ("targetType" in props && dice < 4) out.targetType = "ConnectedSystemRunProfile";
      return out;
    });
  }

  /** A JSON value with one fault. */
  hostile(schema: Json, name: string, op: Operation): fc.Arbitrary<Mut> {
    const s = this.doc.resolve(schema);
    const { inner, nullable } = this.nullable(s);
    const notNull = (m: Mut) => !(nullable && m.value === null);
    const en = this.enumOf(inner);
    const wrongTypes = (except: string) =>
      fc
        .constantFrom<unknown>([], {}, "text", 7, true, null)
        .filter((v) => !(nullable && v === null))
        .filter((v) => (Array.isArray(v) ? "array" : v === null ? "null" : typeof v) !== except)
        .map((v) => ({ value: v, certain: true, note: `wrong type ${JSON.stringify(v)}` }));
    if (en) {
      const e0 = en[0];
      return fc
        .constantFrom<unknown>("", "bogus", e0.toLowerCase(), e0.toUpperCase(), `${e0} `, `${e0}\u0000`, 1, [e0], null)
        .filter((v) => !en.includes(v as string))
        .map((v) => ({ value: v, certain: true, note: `not in enum: ${JSON.stringify(v)}` }))
        .filter(notNull);
    }
    switch (inner.type) {
      case "object":
        return this.hostileObject(inner, op).filter(notNull);
      case "array":
        return this.hostileArray(inner, name, op);
      case "integer": {
        const min = numberOr(inner, "minimum", -INT4_MAX);
        const max = numberOr(inner, "maximum", INT4_MAX);
        return fc
          .constantFrom(...jsonIntegers(min, max))
          .map((v) => ({ value: v, certain: integerRefused(v, min, max), note: `integer ${describe(v)}` }))
          .filter(notNull);
      }
      case "boolean":
        return fc
          .constantFrom<unknown>("true", 1, 0, "yes", null, [])
          .map((v) => ({ value: v, certain: true, note: `boolean ${JSON.stringify(v)}` }))
          .filter(notNull);
      case "string": {
        const fixed: string[] =
          inner.format === "uuid"
            ? UUID_HOSTILE
            : inner.format === "date-time"
              ? DATE_HOSTILE
              : texts(numberOr(inner, "maxLength", Infinity));
        const minLength = numberOr(inner, "minLength", 0);
        const maxLength = numberOr(inner, "maxLength", Infinity);
        const strings = fc.constantFrom(...fixed).map((v) => ({
          value: v,
          certain: inner.format ? true : textRefused(v, minLength, maxLength),
          note: `string "${describe(v)}"`,
        }));
        return oneOf(w(5, strings), w(1, wrongTypes("string")));
      }
      default:
        return wrongTypes("none");
    }
  }

  private hostileObject(s: Json, op: Operation): fc.Arbitrary<Mut> {
    const props = (s.properties ?? {}) as Record<string, Json>;
    const required = (s.required ?? []) as string[];
    const strict = s.additionalProperties === false;
    const valid = this.validObject(s, op);
    const keys = Object.keys(props);
    const options: { weight: number; arbitrary: fc.Arbitrary<Mut> }[] = [
      w(
        1,
        fc
          .constantFrom<unknown>([], "text", 7, true, null)
          .map((v) => ({ value: v, certain: true, note: `object as ${JSON.stringify(v)}` })),
      ),
      w(
        2,
        fc
          .tuple(valid, fc.constantFrom("surprise", "__proto__", "constructor", "Name", "", "\u0000"), fc.anything())
          .map(([o, k, v]) => ({
            value: { ...o, [k]: v === undefined ? 1 : v },
            // An own "__proto__" key survives JSON.parse and is refused by the strict schema too.
            certain: strict,
            note: `unknown property ${JSON.stringify(k)}`,
          })),
      ),
    ];
    if (required.length)
      options.push(
        w(
          2,
          fc.tuple(valid, fc.constantFrom(...required)).map(([o, k]) => {
            const { [k]: _gone, ...rest } = o;
            return { value: rest, certain: true, note: `missing ${k}` };
          }),
        ),
      );
    if (keys.length)
      options.push(
        w(
          6,
          fc
            .constantFrom(...keys)
            .chain((k) =>
              fc
                .tuple(valid, this.hostile(props[k], k, op))
                .map(([o, h]) => ({ value: { ...o, [k]: h.value }, certain: h.certain, note: `${k}: ${h.note}` })),
            ),
        ),
      );
    return fc.oneof(...options);
  }

  private hostileArray(s: Json, name: string, op: Operation): fc.Arbitrary<Mut> {
    const minItems = numberOr(s, "minItems", 0);
    const maxItems = numberOr(s, "maxItems", Infinity);
    const item = s.items as Json;
    const validItems = fc.array(this.valid(item, name, op), {
      minLength: Math.max(1, minItems),
      maxLength: Math.max(1, Math.min(3, maxItems)),
    });
    const options: { weight: number; arbitrary: fc.Arbitrary<Mut> }[] = [
      w(
        1,
        fc
          .constantFrom<unknown>({}, "text", 7, true)
          .map((v) => ({ value: v, certain: true, note: `array as ${JSON.stringify(v)}` })),
      ),
      w(
        5,
        fc.tuple(validItems, this.hostile(item, name, op), fc.nat()).map(([arr, h, i]) => {
          const out = [...arr];
          out[i % out.length] = h.value;
          return { value: out, certain: h.certain, note: `[${i % out.length}] ${h.note}` };
        }),
      ),
    ];
    if (minItems >= 1) options.push(w(1, fc.constant({ value: [], certain: true, note: "empty array" })));
    if (Number.isFinite(maxItems) && maxItems <= 1000)
      options.push(
        w(
          1,
          this.valid(item, name, op).map((v) => ({
            value: Array.from({ length: maxItems + 1 }, () => v),
            certain: true,
            note: `${maxItems + 1} items`,
          })),
        ),
      );
    return fc.oneof(...options);
  }

  // ---------- query strings ----------

  /** Text forms of a valid query value; list values as repeated keys or comma-separated. */
  private validQuery(p: Param, op: Operation): fc.Arbitrary<[string, string | Ref][]> {
    const s = this.doc.resolve(p.schema);
    const text = (v: unknown): string | Ref => (v instanceof Ref ? v : encode(String(v)));
    if (s.type === "array") {
      return fc
        .tuple(
          fc.array(this.valid(s.items as Json, p.name, op), { minLength: 1, maxLength: 3 }),
          fc.boolean(),
          fc.boolean(),
        )
        .map(([vs, repeat, spaced]) => {
          if (repeat || vs.some((v) => v instanceof Ref))
            return vs.map((v): [string, string | Ref] => [p.name, text(v)]);
          return [[p.name, encode(vs.map(String).join(spaced ? " , " : ","))]];
        });
    }
    if (p.name === "wait") return fc.constantFrom<[string, string][]>([["wait", "0"]], [["wait", "1"]]);
    return this.valid(s, p.name, op).map((v) => [[p.name, text(v)]]);
  }

  /** Query parameters: each optional one a third of the time. */
  validQueryPairs(op: Operation): fc.Arbitrary<[string, string | Ref][]> {
    if (op.query.length === 0) return fc.constant([]);
    const parts = op.query.map((p) =>
      p.required ? this.validQuery(p, op) : fc.option(this.validQuery(p, op), { freq: 2, nil: null }),
    );
    const cursors = this.options.cursors.get(op.template) ?? [];
    const base = fc.tuple(...parts).map((ps) => ps.flatMap((x) => x ?? []));
    if (!cursors.length) return base;
    // A real cursor now and then, with the sort and order it was made for.
    return fc.tuple(base, fc.nat({ max: 99 })).map(([pairs, dice]) => {
      if (dice >= 20) return pairs;
      const c = cursors[dice % cursors.length];
      const keep = pairs.filter(([k]) => k !== "cursor" && !c.params.some(([ck]) => ck === k));
      return [...keep, ...c.params.map(([k, v]): [string, string] => [k, encode(v)]), ["cursor", c.cursor]];
    });
  }

  /** Query pairs with one fault. */
  hostileQueryPairs(op: Operation): fc.Arbitrary<{ pairs: [string, string | Ref][]; certain: boolean; note: string }> {
    const strict = op.query.length > 0;
    const base = this.validQueryPairs(op);
    const options: {
      weight: number;
      arbitrary: fc.Arbitrary<{ pairs: [string, string | Ref][]; certain: boolean; note: string }>;
    }[] = [
      w(
        1,
        fc
          .tuple(
            base,
            fc.constantFrom("colour", "Page", "page ", "__proto__", "constructor", "toString", "%00", "a[b]"),
          )
          .map(([pairs, k]) => ({
            pairs: [...pairs, [encode(k), "1"] as [string, string]],
            certain: strict && !["__proto__"].includes(k),
            note: `unknown query key ${JSON.stringify(k)}`,
          })),
      ),
      w(
        1,
        fc
          .tuple(base, fc.constantFrom("&&", "=", "%", "a=%zz", "==1", "%E0%A4%A=1", "&=&", ";", "a=1;b=2", "%00"))
          .map(([pairs, junk]) => ({
            pairs: [...pairs, [junk, KEY_ONLY] as [string, string]],
            certain: false,
            note: `junk query ${JSON.stringify(junk)}`,
          })),
      ),
    ];
    if (op.query.length) {
      options.push(
        w(
          6,
          fc.constantFrom(...op.query).chain((p) =>
            fc.tuple(base, this.hostileQueryValue(p, op)).map(([pairs, h]) => ({
              pairs: [...pairs.filter(([k]) => k !== p.name), [p.name, encode(h.value)] as [string, string]],
              certain: h.certain,
              note: `${p.name}=${h.note}`,
            })),
          ),
        ),
      );
      const scalars = op.query.filter((p) => this.doc.resolve(p.schema).type !== "array");
      if (scalars.length)
        options.push(
          w(
            1,
            fc
              .tuple(base, fc.constantFrom(...scalars), fc.array(fc.constantFrom("1", "2", "asc", "created", "x")))
              .map(([pairs, p, vs]) => {
                const values = vs.length ? vs : ["1"];
                return {
                  pairs: [
                    ...pairs.filter(([k]) => k !== p.name),
                    [p.name, "1"] as [string, string],
                    ...values.map((v): [string, string] => [p.name, v]),
                  ],
                  certain: true,
                  note: `repeated ${p.name}`,
                };
              }),
          ),
        );
    }
    if (op.query.some((p) => p.name === "page") && op.query.some((p) => p.name === "cursor"))
      options.push(
        w(
          1,
          fc
            .constantFrom<[number, number]>([1_000_000, 100], [10_001, 100], [1_000_000, 1], [200_001, 5])
            .map(([page, size]) => ({
              pairs: [
                ["page", String(page)],
                ["pageSize", String(size)],
              ],
              certain: true,
              note: `offset depth page=${page} pageSize=${size}`,
            })),
        ),
      );
    return fc.oneof(...options);
  }

  /** A hostile text value for one query parameter (not yet encoded). */
  private hostileQueryValue(p: Param, op: Operation): fc.Arbitrary<{ value: string; certain: boolean; note: string }> {
    const s = this.doc.resolve(p.schema);
    const mk = (refused: (v: string) => boolean) => (v: string) => ({
      value: v,
      certain: refused(v),
      note: JSON.stringify(describe(v)),
    });
    if (p.name === "cursor") return this.tamperedCursor(op);
    const en = this.enumOf(s);
    if (en) {
      return fc
        .constantFrom("", "bogus", en[0].toLowerCase(), ` ${en[0]}`, `${en[0]},`, `${en[0]}\u0000`, "TRUE", "yes")
        .map(mk((v) => !en.includes(v)));
    }
    if (s.type === "array") {
      const item = this.doc.resolve(s.items as Json);
      const itemEnum = this.enumOf(item);
      const parts = (v: string) =>
        v
          .split(",")
          .map((x) => x.trim())
          .filter(Boolean);
      if (itemEnum) {
        const e0 = itemEnum[0];
        return fc
          .constantFrom("", "bogus", `${e0},bogus`, e0.toLowerCase(), `${e0}\u0000`, ",,,", "any,none,bogus")
          .map(mk((v) => parts(v).length === 0 || parts(v).some((x) => !itemEnum.includes(x))));
      }
      if (item.pattern === "^\\d{1,10}$")
        return fc
          .constantFrom(...TEXT_INTEGERS, "1,abc", "1, 2", "2147483648,1", "0")
          .map(mk((v) => parts(v).length === 0 || parts(v).some((x) => !/^\d{1,10}$/.test(x))));
      const max = numberOr(item, "maxLength", Infinity);
      return fc
        .constantFrom(...texts(max).filter((t) => t.length < 20_000))
        .map(mk((v) => /\u0000/.test(v) || parts(v).some((x) => characters(x) > max)));
    }
    if (s.type === "integer") {
      const min = numberOr(s, "minimum", -INT4_MAX);
      const max = numberOr(s, "maximum", INT4_MAX);
      return fc.constantFrom(...TEXT_INTEGERS).map(mk((v) => textIntegerRefused(v, min, max)));
    }
    // Every one of these is refused, also after a lone surrogate became U+FFFD on the way.
    if (s.format === "uuid") return fc.constantFrom(...UUID_HOSTILE).map(mk(() => true));
    if (s.format === "date-time") return fc.constantFrom(...DATE_HOSTILE).map(mk(() => true));
    const min = numberOr(s, "minLength", 0);
    const max = numberOr(s, "maxLength", Infinity);
    // Lone surrogates cannot travel in a URL: they arrive as U+FFFD, which is valid text.
    return fc
      .constantFrom(...texts(max).filter((t) => t.length < 20_000))
      .map(mk((v) => /\u0000/.test(v) || characters(v) > max || characters(v) < min));
  }

  /** Cursors that are not cursors of this list: junk, other scopes, out-of-range values. */
  tamperedCursor(op: Operation): fc.Arbitrary<{ value: string; certain: boolean; note: string }> {
    const b64 = (v: unknown) =>
      Buffer.from(typeof v === "string" ? v : JSON.stringify(v), "utf8").toString("base64url");
    const real = this.options.cursors.get(op.template) ?? [];
    const scopes = real.map((c) => (JSON.parse(Buffer.from(c.cursor, "base64url").toString("utf8")) as unknown[])[0]);
    const scope = (scopes[0] as string | undefined) ?? "activities:created:desc";
    const uuid = "0195c0de-7a10-7f3b-9a9e-5d2f3c4b1a00";
    const cases: [string, boolean, string][] = [
      ["%%%", true, "junk %%%"],
      ["not a cursor", true, "junk with spaces"],
      ["AAAA", true, "base64 of bytes"],
      ["x".repeat(2001), true, "2001 characters"],
      [b64("null"), true, "null"],
      [b64("{}"), true, "object"],
      [b64([scope]), true, "short array"],
      [b64([scope, "2024-01-01T00:00:00Z", uuid, 1]), true, "long array"],
      [b64(["fuzz:none:asc", "2024-01-01T00:00:00Z", uuid]), true, "wrong scope"],
      [b64([scope, 1e300, 1e300]), true, "1e300"],
      [b64([scope, "0000-01-01T00:00:00Z", 1e300]), true, "year 0000, tie 1e300"],
      [b64([scope, "0000-01-01T00:00:00Z", uuid]), false, "year 0000"],
      [b64([scope, "+275760-09-13T00:00:00.000Z", uuid]), false, "year 275760"],
      [b64([scope, "10000-01-01T00:00:00Z", 7]), false, "year 10000"],
      [b64([scope, "a\u0000b", uuid]), false, "NUL"],
      [b64([scope, "\uD800", uuid]), false, "lone surrogate"],
      [b64([scope, 2 ** 31, 2 ** 31]), false, "2^31"],
      [b64([scope, -1, -1]), false, "negative"],
      [b64([scope, null, uuid]), false, "null value"],
      [b64([scope, "2024-01-01T00:00:00Z", uuid]) + "=", true, "padding"],
      [b64([scope, "x".repeat(5000), uuid]), true, "long value"],
      [b64([scope, "2024-01-01T00:00:00Z", "not-a-uuid"]), false, "bad tie"],
      [b64("\u0000"), true, "NUL JSON"],
    ];
    return fc.constantFrom(...cases).map(([value, certain, note]) => ({ value, certain, note: `cursor ${note}` }));
  }

  // ---------- path segments ----------

  /** Real or random valid value of a path parameter. */
  private validSegment(op: Operation, p: Param): fc.Arbitrary<string | Ref> {
    const s = this.doc.resolve(p.schema);
    const pool = poolOf(op.template, p.name);
    const random: fc.Arbitrary<string | Ref> =
      s.type === "integer"
        ? intArb(numberOr(s, "minimum", 1), numberOr(s, "maximum", INT4_MAX)).map(String)
        : oneOf(
            w(5, fc.uuid()),
            w(
              1,
              fc.uuid().map((u) => u.toUpperCase()),
            ),
          );
    return pool ? oneOf(w(7, this.ref(pool)), w(3, random)) : random;
  }

  /** A raw path segment with one fault (sent as is, not re-encoded). */
  hostileSegment(p: Param): fc.Arbitrary<{ value: string; certain: boolean; note: string }> {
    const s = this.doc.resolve(p.schema);
    const valid = (decoded: string) =>
      s.type === "integer"
        ? !textIntegerRefused(decoded, numberOr(s, "minimum", 1), numberOr(s, "maximum", INT4_MAX))
        : new RegExp(String(s.pattern)).test(decoded);
    const raw = [
      "%",
      "%zz",
      "%E0%A4%A",
      "%C0%AE",
      "%ED%A0%80",
      "%FF",
      "%00",
      "%0A",
      "%1F",
      "%7F",
      "%2F",
      "%5C",
      "%3F",
      "%23",
      "%25",
      "%20",
      "a;b",
      "%F0%9F%98%80",
      "2147483647",
      "2147483648",
      "99999999999999999999",
      "-1",
      "0",
      "1e300",
      "1e3",
      "NaN",
      "1.5",
      "0x10",
      "x".repeat(3000),
      "00000000-0000-0000-0000-00000000000g",
      "0195c0de-7a10-0f3b-9a9e-5d2f3c4b1a00",
      "0195c0de-7a10-7f3b-9a9e-5d2f3c4b1a00%00",
      "0195c0de-7a10-7f3b-9a9e-5d2f3c4b1a00%20",
    ];
    return fc.constantFrom(...raw).map((value) => {
      let decoded: string | null = null;
      try {
        decoded = decodeURIComponent(value);
      } catch {
        decoded = null;
      }
      return {
        value,
        certain: decoded === null || !valid(decoded),
        note: `segment ${value.length > 40 ? `${value.slice(0, 10)}… (${value.length})` : value}`,
      };
    });
  }

  /** The path of an operation: parameters from the pools or random, with one fault or none. */
  segments(
    op: Operation,
    hostile: boolean,
  ): fc.Arbitrary<{ segments: (string | Ref)[]; certain: boolean; note: string }> {
    const parts = op.template.split("/").slice(1);
    const params = op.path;
    const values = fc.tuple(...params.map((p) => this.validSegment(op, p))) as fc.Arbitrary<(string | Ref)[]>;
    const valid = fc.tuple(values, fc.nat({ max: 9 }), fc.nat({ max: 10_000 }));
    const build = (values: (string | Ref)[]) => {
      let i = 0;
      return parts.map((part) => (part.startsWith("{") ? values[i++] : part));
    };
    const pair = (values: (string | Ref)[], dice: number, idx: number) =>
      // Both ids of a run profile trigger from one real pair most of the time.
      op.template.includes("{runProfileId}") && dice < 6 ? [new Ref("pairCs", idx), new Ref("pairRp", idx)] : values;
    if (!hostile || params.length === 0)
      return valid.map(([vs, dice, idx]) => ({ segments: build(pair(vs, dice, idx)), certain: false, note: "" }));
    return fc.tuple(valid, fc.nat({ max: params.length - 1 })).chain(([[vs], which]) =>
      this.hostileSegment(params[which]).map((h) => {
        const out = [...vs];
        out[which] = h.value;
        return { segments: build(out), certain: h.certain, note: `${params[which].name}: ${h.note}` };
      }),
    );
  }

  // ---------- whole requests ----------

  request(op: Operation): fc.Arbitrary<FuzzRequest> {
    const where = ["valid", "path", "query", "body", "header"] as const;
    const weights: Record<(typeof where)[number], number> = {
      valid: 11,
      path: op.path.length ? 2 : 0,
      query: op.query.length ? 3 : 1,
      body: op.body ? 5 : 0,
      header: 1,
    };
    const mode = fc.oneof(...where.filter((k) => weights[k] > 0).map((k) => w(weights[k], fc.constant(k))));
    return mode.chain((m) =>
      fc
        .record({
          path: this.segments(op, m === "path"),
          query:
            m === "query"
              ? this.hostileQueryPairs(op)
              : this.validQueryPairs(op).map((pairs) => ({ pairs, certain: false, note: "" })),
          body: this.bodyArb(op, m === "body"),
          headers: this.headerArb(op, m === "header"),
          auth: oneOf(
            w(17, fc.constant<"admin">("admin")),
            w(1, fc.constant<"none">("none")),
            w(1, fc.constant<"readOnly">("readOnly")),
          ),
        })
        .map(({ path, query, body, headers, auth }): FuzzRequest => {
          const h: Record<string, string> = {
            ...headers.headers,
            ...(body.contentType ? { "Content-Type": body.contentType } : {}),
          };
          // A long poll only waits when If-None-Match matches: never send "*" with ?wait.
          if (h["If-None-Match"] === "*" && query.pairs.some(([k]) => k === "wait")) delete h["If-None-Match"];
          const certain = path.certain || query.certain || body.certain || headers.certain;
          const note = [path.note, query.note, body.note, headers.note].filter(Boolean).join("; ") || "valid";
          return {
            op,
            method: op.method,
            segments: path.segments,
            query: query.pairs,
            headers: h,
            auth,
            body: body.body,
            certain,
            note,
          };
        }),
    );
  }

  private bodyArb(op: Operation, hostile: boolean): fc.Arbitrary<BodyPart> {
    if (!op.body) return fc.constant({ body: null, certain: false, note: "" });
    const schema = op.body.schema;
    const optional = !op.body.required;
    const validJson = this.valid(schema, "", op);
    const jsonType = oneOf(w(6, fc.constant("application/json")), w(1, fc.constantFrom(...JSON_CONTENT_TYPES)));
    if (!hostile) {
      const bodies = fc
        .tuple(validJson, jsonType)
        .map(([json, contentType]) => ({ body: { json }, contentType, certain: false, note: "" }));
      if (!optional) return bodies;
      return oneOf<BodyPart>(w(3, bodies), w(1, fc.constant({ body: null, certain: false, note: "no body" })));
    }
    return oneOf<BodyPart>(
      w(
        8,
        fc.tuple(this.hostile(schema, "", op), jsonType).map(([h, contentType]) => ({
          body: { json: h.value },
          contentType,
          certain: h.certain,
          note: `body ${h.note}`,
        })),
      ),
      w(
        2,
        fc.tuple(fc.constantFrom(...NOT_JSON), jsonType).map(([text, contentType]) => ({
          body: { raw: text },
          contentType,
          certain: true,
          note: `not JSON ${describe(text)}`,
        })),
      ),
      w(
        2,
        fc.tuple(validJson, fc.constantFrom(...WRONG_CONTENT_TYPES, "")).map(([json, contentType]) => ({
          body: { json },
          contentType: contentType || undefined,
          certain: true,
          note: `content type ${JSON.stringify(contentType)}`,
        })),
      ),
      w(
        1,
        fc.constantFrom("", " ", "\r\n").chain((text) =>
          fc.tuple(fc.constant(text), fc.constantFrom("application/json", "text/plain", "")).map(([t, ct]) => ({
            body: { raw: t },
            contentType: ct || undefined,
            certain: !optional,
            note: `empty body (${JSON.stringify(t)}, ${JSON.stringify(ct)})`,
          })),
        ),
      ),
      w(
        1,
        fc.constantFrom(100, 5_000, 50_000).map((depth) => ({
          body: { raw: "[".repeat(depth) + "]".repeat(depth) },
          contentType: "application/json",
          certain: true,
          note: `nested ${depth} deep`,
        })),
      ),
      w(
        1,
        fc.constant({
          body: { raw: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) },
          contentType: "application/json",
          certain: false,
          note: "invalid UTF-8 in a key",
        }),
      ),
      w(
        1,
        fc.constant({
          body: { raw: `{"name":"${LONG}${LONG}"}` },
          contentType: "application/json",
          certain: true,
          note: "200 kB name",
        }),
      ),
    );
  }

  private headerArb(
    op: Operation,
    hostile: boolean,
  ): fc.Arbitrary<{ headers: Record<string, string>; certain: boolean; note: string }> {
    const conditional = op.headers.includes("If-None-Match");
    const idempotent = op.headers.includes("Idempotency-Key");
    const etag = conditional
      ? fc.option(fc.constantFrom('W/"abc"', '"abc"', "", "*", 'W/"x", "y"', "W/", '"\u00e9"'), { freq: 3 })
      : fc.constant(null);
    const keys = idempotent
      ? fc.option(
          oneOf(
            w(3, fc.constantFrom("fuzz-idem-0", "fuzz-idem-1", "fuzz-idem-2")),
            w(1, fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 40 })),
          ),
          { freq: 2 },
        )
      : fc.constant(null);
    const accept = fc.option(fc.constantFrom("text/csv", "*/*", "application/xml", "application/json;q=0"), {
      freq: 4,
    });
    const normal = fc.tuple(etag, keys, accept).map(([e, k, a]) => {
      const headers: Record<string, string> = {};
      if (e !== null) headers["If-None-Match"] = e;
      if (k !== null && k.trim()) headers["Idempotency-Key"] = k;
      if (a !== null) headers.Accept = a;
      return { headers, certain: false, note: "" };
    });
    if (!hostile) return normal;
    const options: {
      weight: number;
      arbitrary: fc.Arbitrary<{ headers: Record<string, string>; certain: boolean; note: string }>;
    }[] = [
      w(
        1,
        fc.constantFrom("X-Http-Method-Override", "X-Forwarded-Host", "X-Forwarded-Proto", "Range").map((name) => ({
          headers: { [name]: name === "Range" ? "bytes=0-1" : name.endsWith("Override") ? "DELETE" : "evil.example" },
          certain: false,
          note: `header ${name}`,
        })),
      ),
    ];
    if (idempotent)
      options.push(
        w(
          2,
          fc.constantFrom("k".repeat(201), "k".repeat(5000)).map((k) => ({
            headers: { "Idempotency-Key": k },
            certain: true,
            note: `Idempotency-Key of ${k.length} characters`,
          })),
        ),
      );
    return fc.oneof(...options);
  }
}

/** The pool a path parameter draws real ids from. */
export function poolOf(template: string, name: string): PoolName | null {
  if (template.startsWith("/activities/{id}/items/{itemId}")) return name === "id" ? "itemActivity" : "item";
  if (template.startsWith("/activities/{id}/items")) return "runActivity";
  if (template.startsWith("/activities/{id}")) return "activity";
  if (template.startsWith("/schedule-executions/{id}")) return "scheduleExecution";
  if (template.startsWith("/failures/objects/{id}")) return "failure";
  if (template.startsWith("/saved-views/{id}")) return "savedView";
  if (template.startsWith("/api-keys/{id}")) return "revocableKey";
  if (template.startsWith("/schedules/{id}")) return "schedule";
  if (template.startsWith("/connected-systems/{id}")) return name === "id" ? "cs" : "rp";
  return null;
}

/** Percent-encodes a query value (lone surrogates as their WTF-8 bytes). */
export function encode(text: string): string {
  let out = "";
  for (const ch of text) {
    if (/^[A-Za-z0-9\-_.~]$/.test(ch)) out += ch;
    else if (ch.length === 1 && ch.charCodeAt(0) >= 0xd800 && ch.charCodeAt(0) <= 0xdfff) {
      const c = ch.charCodeAt(0);
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join("");
    } else out += encodeURIComponent(ch);
  }
  return out;
}

function describe(v: unknown): string {
  const text = v instanceof Raw ? v.text : typeof v === "string" ? v : JSON.stringify(v);
  const escaped = JSON.stringify(text ?? "undefined").slice(1, -1);
  return escaped.length > 60 ? `${escaped.slice(0, 30)}…(${text.length} chars)` : escaped;
}
