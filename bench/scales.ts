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
  /** Bounded under load: browsers polling list + snapshot, per store. */
  loadClients: number;
  loadSeconds: number;
  /** Watchers of one running activity (long poll, stream, the old page's polling), seconds per mode. */
  watchers: number;
  watchSeconds: number;
  /** Idle streams, then as many idle long polls, whose memory is measured. */
  idleWatchers: number;
  /** Per store: waiting long polls and slow clients (headers never finished), and for how long. */
  overloadPolls: number;
  overloadSlowClients: number;
  overloadSeconds: number;
  /** 304 and 200 from memory against the liveness route: concurrency and seconds per round. */
  floorConcurrency: number;
  floorSeconds: number;
  /** Activities asked for once each (a detail GET read from the store) against the liveness route. */
  floorComputed: number;
  /** Detail, list, Operations and schedule pages in Chromium: seconds per window (idle/changing × visible/hidden). */
  pageSeconds: number;
  /** Detail pages watching the running run (one Chromium, a context each; `--tabs N` overrides) and its changes. */
  tabsPages: number;
  tabsChanges: number;
  /** ETA accuracy: the longest the triggered runs may take. */
  etaMaxSeconds: number;
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
    // Shorter at this scale (CI runs it with everything else on 2 cores): 30 s instead of 2 min.
    loadClients: 400,
    loadSeconds: 30,
    watchers: 200,
    watchSeconds: 20,
    // 1,000 at this scale (CI): the per-watcher figure, in half the time.
    idleWatchers: 1_000,
    // 20 s per store instead of 60 (CI).
    overloadPolls: 2_000,
    overloadSlowClients: 200,
    overloadSeconds: 20,
    floorConcurrency: 20,
    floorSeconds: 5,
    floorComputed: 200,
    pageSeconds: 20,
    // CI runs this scale on 2 cores beside everything else: a few pages, a few changes.
    tabsPages: 10,
    tabsChanges: 15,
    etaMaxSeconds: 720,
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
    loadClients: 400,
    loadSeconds: 120,
    watchers: 500,
    watchSeconds: 60,
    idleWatchers: 2_000,
    overloadPolls: 2_000,
    overloadSlowClients: 200,
    overloadSeconds: 60,
    floorConcurrency: 20,
    floorSeconds: 15,
    floorComputed: 400,
    pageSeconds: 60,
    tabsPages: 100,
    tabsChanges: 15,
    etaMaxSeconds: 600,
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
    loadClients: 400,
    loadSeconds: 120,
    watchers: 500,
    watchSeconds: 60,
    idleWatchers: 2_000,
    overloadPolls: 2_000,
    overloadSlowClients: 200,
    overloadSeconds: 60,
    floorConcurrency: 20,
    floorSeconds: 15,
    floorComputed: 400,
    pageSeconds: 60,
    tabsPages: 100,
    tabsChanges: 15,
    etaMaxSeconds: 600,
    indicative: false,
  },
};

export const isScaleName = (s: string): s is ScaleName => s in SCALES;
