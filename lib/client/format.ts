/** Formatting for the pages: numbers via Intl, times in the viewer's zone, durations. */

const intFmt = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const dec1Fmt = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
const pctFmt = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 0 });
const dateTimeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
const relFmt = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

export const formatInt = (n: number | null | undefined) =>
  n === null || n === undefined || !Number.isFinite(n) ? "—" : intFmt.format(n);
export const formatRate = (n: number | null | undefined) =>
  n === null || n === undefined || !Number.isFinite(n) ? "—" : dec1Fmt.format(n);
export const formatPercent = (fraction: number | null | undefined) =>
  fraction === null || fraction === undefined || !Number.isFinite(fraction) ? "—" : pctFmt.format(fraction);

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  return dateTimeFmt.format(new Date(iso));
}

/** "3 minutes ago", "in 2 hours" relative to now. */
export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return "—";
  const diff = (new Date(iso).getTime() - now) / 1000;
  const abs = Math.abs(diff);
  if (abs < 45) return relFmt.format(Math.round(diff), "second");
  if (abs < 45 * 60) return relFmt.format(Math.round(diff / 60), "minute");
  if (abs < 22 * 3600) return relFmt.format(Math.round(diff / 3600), "hour");
  if (abs < 26 * 86400) return relFmt.format(Math.round(diff / 86400), "day");
  return dateTimeFmt.format(new Date(iso));
}

/** 1 h 02 m 03 s / 2 m 05 s / 4.2 s */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, "0")} m ${String(s).padStart(2, "0")} s`;
  if (m === 0) return `${s} s`;
  return `${m} m ${String(s).padStart(2, "0")} s`;
}

/** Spaces a PascalCase enum for display: "CompleteWithError" → "Complete with error". */
export function humanise(value: string | null | undefined): string {
  if (!value) return "—";
  const spaced = value.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2");
  return spaced.charAt(0) + spaced.slice(1).toLowerCase();
}

/** A signed figure with a true minus sign: "+12", "−3 s", "±0". */
export const formatSigned = (n: number, fmt: (n: number) => string = formatInt) =>
  `${n > 0 ? "+" : n < 0 ? "−" : "±"}${fmt(Math.abs(n))}`;

/** ISO → the value of <input type="datetime-local"> in the viewer's zone ("" when not a date). */
export function toLocalInput(iso: string | null): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return "";
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
/** The value of <input type="datetime-local"> (the viewer's zone) → ISO; null when empty or not a date. */
export const fromLocalInput = (v: string) => (v && !Number.isNaN(Date.parse(v)) ? new Date(v).toISOString() : null);
