/** The sizes each `--scale` seeds and measures with. */
export type ScaleName = "small" | "medium" | "large";

export interface Scale {
  name: ScaleName;
  /** PostgreSQL store. */
  activities: number;
  items: number;
  /** The embedded PGlite store, sized for what it can hold. */
  pglite: { activities: number; items: number };
  /** Timed requests per route and store (after warm-up). */
  samplesPerRoute: number;
  pollSeconds: number;
  pollBrowsers: number;
  ingestItems: number;
  /** The targets are only indicative below 1M activities / 20M items. */
  indicative: boolean;
}

export const SCALES: Record<ScaleName, Scale> = {
  small: {
    name: "small",
    activities: 5_000,
    items: 100_000,
    pglite: { activities: 1_000, items: 20_000 },
    samplesPerRoute: 30,
    pollSeconds: 10,
    pollBrowsers: 200,
    ingestItems: 20_000,
    indicative: true,
  },
  medium: {
    name: "medium",
    activities: 100_000,
    items: 2_000_000,
    pglite: { activities: 20_000, items: 400_000 },
    samplesPerRoute: 50,
    pollSeconds: 60,
    pollBrowsers: 200,
    ingestItems: 200_000,
    indicative: true,
  },
  large: {
    name: "large",
    activities: 1_000_000,
    items: 20_000_000,
    pglite: { activities: 50_000, items: 1_000_000 },
    samplesPerRoute: 50,
    pollSeconds: 60,
    pollBrowsers: 200,
    ingestItems: 200_000,
    indicative: false,
  },
};

export const isScaleName = (s: string): s is ScaleName => s in SCALES;
