/**
 * Error messages, read for triage: the template a message shares with others of its kind (the
 * values that differ from object to object replaced by named placeholders), and the part of a
 * message that tells one failure from another (what a grid shows when it has one line).
 *
 * Pure and browser-safe: the recorder stores each failure's template, the pages use the same
 * functions to show a message.
 */

/** Longest template kept; longer messages are cut (they still group by their beginning). */
export const MAX_TEMPLATE_LENGTH = 500;

/**
 * What stands for "no template" where a template is named (the failures' `template` filter, the
 * pages): a failure without a message, or recorded before templates were. messageTemplate never
 * returns it (a message that reads exactly so is a {value}).
 */
export const NO_TEMPLATE = "(no template)";

/**
 * Messages whose shape is known well enough to name their parts. Each rule's replacement names
 * what the value is, where the generic rules below could only say what it looks like.
 */
const KNOWN_SHAPES: [RegExp, string][] = [
  // ServiceNow: "Operation against sys_user is not allowed by ACL (write, sys_user.manager)"
  [
    /\bOperation against [\w.]+ is not allowed by ACL \(\w+, [\w.]+\)/g,
    "Operation against {table} is not allowed by ACL ({op}, {field})",
  ],
];

/** Protocol result codes name the kind of failure: "HTTP 403", "LDAP 53" stay as they are. */
const KEPT_CODES = /\b(HTTP|LDAP)\s+(\d{1,3})\b/g;
const CODE_MARK = 0xe000;
const RDN_KEYS = "CN|OU|DC|O|L|ST|C|UID|STREET";
const RDN = `(?:${RDN_KEYS})=(?:\\\\.|[^,;\\\\()'"\\n])+`;
const GENERIC: [RegExp, string][] = [
  // Quoted values: 'x', "x", `x`, “x”, ‘x’ (an apostrophe inside a word is not a quote).
  [/(^|[\s([{=:,;])'[^'\n]*'(?=$|[\s)\]},.;:!?])/g, "$1{value}"],
  [/(^|[\s([{=:,;])"[^"\n]*"(?=$|[\s)\]},.;:!?])/g, "$1{value}"],
  [/`[^`\n]*`/g, "{value}"],
  [/“[^”\n]*”/g, "{value}"],
  [/‘[^’\n]*’/g, "{value}"],
  // Distinguished names: two or more RDNs (CN=Jane Smith,OU=Sales,DC=contoso,DC=local).
  [new RegExp(`\\b${RDN}(?:,\\s*${RDN})+`, "gi"), "{dn}"],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "{guid}"],
  [/\bhttps?:\/\/[^\s)'"]+/gi, "{url}"],
  [/\b[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\b/g, "{email}"],
  [/\b\d{1,3}(?:\.\d{1,3}){3}\b/g, "{host}"],
  // Host names: three or more dotted labels (dc02.contoso.local).
  [/\b[A-Za-z][\w-]*(?:\.[A-Za-z0-9][\w-]*){2,}\b/g, "{host}"],
  // Attribute and column paths: sys_user.manager, person.department.
  [/\b[A-Za-z_][\w-]*\.[A-Za-z_]\w*\b/g, "{field}"],
  // Names in a list: "(Jane Smith; John Smith)".
  [/\((?:[A-Z][\w'-]*(?: [A-Z][\w'-]*){0,3})(?:; [A-Z][\w'-]*(?: [A-Z][\w'-]*){0,3})+\)/g, "({name}, …)"],
  // Identifiers that mix letters and digits: E100234, WID-0000123, 0000052D, DSID-031A12D2, 9000f.
  [/(?<![\w{])(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[A-Za-z0-9][\w-]*[A-Za-z0-9](?![\w}])/g, "{id}"],
  // Long hexadecimal or digit strings (sys_id values, serial numbers).
  [/\b[0-9a-f]{16,}\b/gi, "{id}"],
  [/(?<![\w{.])-?\d+(?:[.,]\d+)*(?![\w}])/g, "{number}"],
];

/**
 * The template of a message: numbers, ids, GUIDs, distinguished names, host names, e-mail
 * addresses, attribute paths, listed names and quoted values replaced by placeholders, so that
 * messages that differ only in such values group together. Protocol codes ("HTTP 403",
 * "LDAP 53") are kept: they say what kind of failure it is. A run of the same placeholder
 * ("{guid}, {guid}") becomes one ("{guid}, …").
 *
 *   "HTTP 403 Forbidden: Operation against sys_user is not allowed by ACL (write, sys_user.manager)"
 *   → "HTTP 403 Forbidden: Operation against {table} is not allowed by ACL ({op}, {field})"
 */
export function messageTemplate(message: string): string {
  const codes: string[] = [];
  let t = message.replace(/\s+/g, " ").trim();
  for (const [re, to] of KNOWN_SHAPES) t = t.replace(re, to);
  // Protocol codes are set aside while the rules run, as private-use characters no rule matches.
  t = t.replace(KEPT_CODES, (_, proto: string, code: string) => {
    codes.push(`${proto} ${code}`);
    return String.fromCharCode(CODE_MARK + codes.length - 1);
  });
  for (const [re, to] of GENERIC) t = t.replace(re, to);
  t = t.replace(/[\uE000-\uEFFF]/g, (c) => codes[c.charCodeAt(0) - CODE_MARK] ?? "");
  t = t.replace(/(\{(\w+)\})(?:\s*[,;]\s*\{\2\})+/g, "$1, …");
  if (t === NO_TEMPLATE) return "{value}";
  return t.length > MAX_TEMPLATE_LENGTH ? `${t.slice(0, MAX_TEMPLATE_LENGTH - 1)}…` : t;
}

/**
 * Wrappers an engine puts around the cause; they repeat on every message of their kind, so a
 * one-line view starts after them (the full message stays available).
 */
const WRAPPERS: RegExp[] = [
  /^Export failed after \d+ (?:retries|attempts): /i,
  /^Attempt \d+ of \d+ failed, will retry: /i,
  /^(?:[A-Z][\w.]*\.)?[A-Z]\w*(?:Exception|Error): /,
];

/**
 * The distinctive part of a message for a one-line view: without the wrapper phrases that every
 * message of its kind repeats ("Export failed after 3 retries: ", "System.InvalidOperationException: ").
 * Returns the message itself when nothing would be left.
 */
export function messageCore(message: string): string {
  let core = message.trim();
  for (let changed = true; changed;) {
    changed = false;
    for (const re of WRAPPERS) {
      const next = core.replace(re, "");
      if (next !== core && next.trim()) {
        core = next.trim();
        changed = true;
      }
    }
  }
  return core;
}

/** A template cut into its literal text and its placeholders ("{table}" → name "table"), for display. */
export type TemplatePart = { text: string } | { placeholder: string };

/** The parts of a template in order: literal text between placeholders, and each placeholder's name. */
export function templateParts(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let at = 0;
  for (const m of template.matchAll(/\{(\w+)\}/g)) {
    if (m.index > at) parts.push({ text: template.slice(at, m.index) });
    parts.push({ placeholder: m[1] });
    at = m.index + m[0].length;
  }
  if (at < template.length) parts.push({ text: template.slice(at) });
  return parts;
}
