/**
 * Admission to the embedded store. PGlite runs one query at a time; under a burst, requests
 * queued inside it were served in no particular order, and some waited 30–50 s. Here requests
 * that need the store wait in a FIFO queue with a bounded length and a bounded wait; past either
 * bound they are refused at once with 503 and Retry-After, so no request waits for long.
 * (A PostgreSQL server has its own pool and fair scheduling: no admission there.)
 */
import { getConfig } from "@/lib/config";
import { ServiceUnavailableError } from "@/lib/domain/errors";

export interface AdmissionLimits {
  concurrent: number;
  queue: number;
  maxWaitMs: number;
}

export const EMBEDDED_LIMITS: AdmissionLimits = { concurrent: 4, queue: 200, maxWaitMs: 3000 };

export class Admission {
  private running = 0;
  private readonly waiting: { admit: () => void; timer: NodeJS.Timeout }[] = [];
  constructor(private readonly limits: AdmissionLimits) {}

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.enter();
    try {
      return await fn();
    } finally {
      this.leave();
    }
  }

  private enter(): Promise<void> {
    if (this.running < this.limits.concurrent && this.waiting.length === 0) {
      this.running++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.limits.queue)
      return Promise.reject(
        new ServiceUnavailableError("The server is busy; try again shortly.", { queued: this.waiting.length }, 1),
      );
    return new Promise((resolve, reject) => {
      const entry = {
        admit: () => {
          clearTimeout(entry.timer);
          resolve();
        },
        timer: setTimeout(() => {
          const i = this.waiting.indexOf(entry);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(
            new ServiceUnavailableError(
              "The server is busy; try again shortly.",
              { waitedMs: this.limits.maxWaitMs },
              2,
            ),
          );
        }, this.limits.maxWaitMs),
      };
      this.waiting.push(entry);
    });
  }

  private leave() {
    const next = this.waiting.shift();
    if (next) next.admit();
    else this.running--;
  }
}

const g = globalThis as unknown as { __syncwatchAdmission?: Admission };

function admission(): Admission | null {
  if (getConfig().store.kind !== "pglite") return null;
  return (g.__syncwatchAdmission ??= new Admission(EMBEDDED_LIMITS));
}

/** Runs work that needs the store through the embedded store's admission (PostgreSQL has its pool). */
export function admitted<T>(fn: () => Promise<T>): Promise<T> {
  const gate = admission();
  return gate ? gate.run(fn) : fn();
}
