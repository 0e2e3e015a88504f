/**
 * Hostile values, by the kind of value they attack, and the checks that say whether a value is
 * certainly refused by the document (then a 2xx answer contradicts the document).
 */
import { Raw } from "./values";

export const INT4_MAX = 2_147_483_647;
export const MIN_DATE = Date.parse("1970-01-01T00:00:00Z");
export const MAX_DATE = Date.parse("9999-12-31T23:59:59.999Z");

/** Contains a NUL character or an unpaired surrogate: text the document refuses everywhere. */
export const unstorable = (s: string) => /\u0000/.test(s) || !s.isWellFormed();

export const LONG = "x".repeat(100_000);

/** Integers (and not-integers) for JSON bodies. */
export function jsonIntegers(min: number, max: number): unknown[] {
  return [
    INT4_MAX,
    INT4_MAX + 1,
    INT4_MAX + 1000,
    2 ** 32,
    2 ** 53,
    -1,
    -INT4_MAX - 2,
    min - 1,
    max + 1,
    1e300,
    -1e300,
    1.5,
    0.5,
    new Raw("1e400"),
    new Raw("-1e400"),
    new Raw("123456789012345678901234567890"),
    new Raw("2147483648.0"),
    new Raw("1.0"),
    new Raw("-0"),
    "1",
    "NaN",
    "Infinity",
    "",
    true,
    [],
    {},
    null,
  ];
}

/** Integer-ish text for query strings and path segments (the server coerces with Number()). */
export const TEXT_INTEGERS = [
  "2147483647",
  "2147483648",
  "2147483647000",
  "99999999999999999999",
  "9007199254740993",
  "-1",
  "-2147483649",
  "0",
  "1e300",
  "1e3",
  "NaN",
  "Infinity",
  "-Infinity",
  "1.5",
  "0x1F",
  "0b1",
  "",
  " ",
  "abc",
  "1,2",
  "\u0661\u0662",
  "+5",
  "05",
  "1_000",
  "1\u0000",
];

export function integerRefused(value: unknown, min: number, max: number): boolean {
  let n: unknown = value;
  if (value instanceof Raw) {
    try {
      n = JSON.parse(value.text);
    } catch {
      return true;
    }
  }
  return !(typeof n === "number" && Number.isInteger(n) && n >= min && n <= max);
}

/** Text the server coerces with Number() (query values, numeric path segments). */
export function textIntegerRefused(text: string, min: number, max: number): boolean {
  const n = Number(text);
  return !(Number.isInteger(n) && n >= min && n <= max);
}

export const UUID_HOSTILE = [
  "not-a-uuid",
  "",
  "00000000-0000-0000-0000-00000000000",
  "00000000-0000-0000-0000-0000000000000",
  "0195c0de-7a10-0f3b-9a9e-5d2f3c4b1a00",
  "0195c0de-7a10-7f3b-7a9e-5d2f3c4b1a00",
  "0195c0de-7a10-9f3b-9a9e-5d2f3c4b1a00",
  "{0195c0de-7a10-7f3b-9a9e-5d2f3c4b1a00}",
  "0195c0de7a107f3b9a9e5d2f3c4b1a00",
  "0195c0de-7a10-7f3b-9a9e-5d2f3c4b1a0g",
  "0195c0de-7a10-7f3b-9a9e-5d2f3c4b1a00\u0000",
  " 0195c0de-7a10-7f3b-9a9e-5d2f3c4b1a00",
  "0195c0de-7a10-7f3b-9a9e-5d2f3c4b1a00 ",
  "1",
  "1e300",
  "' OR '1'='1",
  "\uD800",
];

/** Dates the document refuses (out of 1970–9999, impossible days, no offset, junk). */
export const DATE_HOSTILE = [
  "0000-01-01T00:00:00Z",
  "0000-00-00T00:00:00Z",
  "10000-01-01T00:00:00Z",
  "+010000-01-01T00:00:00Z",
  "+275760-09-13T00:00:00.000Z",
  "-000001-01-01T00:00:00Z",
  "1969-12-31T23:59:59.999Z",
  "1970-01-01T00:00:00+00:01",
  "9999-12-31T23:59:59.999-00:01",
  "2023-02-29T00:00:00Z",
  "2024-13-01T00:00:00Z",
  "2024-01-01T24:00:00Z",
  "2024-01-01T00:00:60Z",
  "2024-01-01",
  "2024-01-01T00:00:00",
  "2024-01-01 00:00:00Z",
  "now",
  "",
  "NaN",
  "1700000000000",
  "2024-01-01T00:00:00Z\u0000",
  "2024-01-01T00:00:00+24:00",
  "\uD800",
];

/** Strings that attack text fields; whether each is refused depends on the field's limits. */
export function texts(maxLength: number): string[] {
  const list = [
    "\u0000",
    "a\u0000b",
    "\uD800",
    "x\uDC00y",
    "\uDBFF",
    "\uDFFF\uD800",
    "   ",
    "",
    "%",
    "_",
    "50%_done",
    "\\",
    '\'; DROP TABLE "Activity"; --',
    "<script>alert(1)</script>",
    "\u202e\u0007\u001b[31m",
    "🙂👍🏽🇳🇱",
    "\uFEFF",
    "\r\n",
  ];
  if (Number.isFinite(maxLength) && maxLength < 50_000) list.push("x".repeat(maxLength + 1), "🙂".repeat(maxLength));
  list.push(LONG);
  return list;
}

/** A text's length as JSON Schema's minLength/maxLength (and zod) count it: characters, not UTF-16 units. */
export const characters = (text: string) => [...text].length;

export function textRefused(text: string, minLength: number, maxLength: number): boolean {
  return unstorable(text) || characters(text) > maxLength || characters(text) < minLength;
}

/** Things that are not JSON, sent as application/json. */
export const NOT_JSON = [
  "{",
  "nul",
  "{'name': 1}",
  "[1,2",
  '{"a":1}}',
  "<x/>",
  "undefined",
  "NaN",
  '{"a":\u0000}',
  '"\\uZZZZ"',
  "[".repeat(100_000),
];

export const WRONG_CONTENT_TYPES = [
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/jsonx",
  "json",
  "text/json",
  "application/xml",
  "application/json-seq",
];

export const JSON_CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "Application/JSON",
  "application/vnd.api+json",
  "application/merge-patch+json",
];
