"use client";
import { useState, type MouseEvent } from "react";

interface Target {
  id: string;
  label: string;
}

const LINK =
  "sr-only focus:not-sr-only focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-slate-900 focus:shadow focus:ring-2 focus:ring-blue-600";

/** The page's skip targets now: regions that say `data-skip-label` (every table does). */
function currentTargets(): Target[] {
  return Array.from(document.querySelectorAll<HTMLElement>("main [data-skip-label][id]"))
    .filter((el) => el.getClientRects().length > 0)
    .map((el) => ({ id: el.id, label: el.getAttribute("data-skip-label") ?? el.id }));
}

function jump(e: MouseEvent<HTMLAnchorElement>, id: string) {
  const target = document.getElementById(id);
  if (!target) return;
  e.preventDefault();
  target.focus({ preventScroll: true });
  target.scrollIntoView({ block: "start" });
}

/**
 * The first Tab stops of every page: "Skip to content", then one link per table or region the page
 * shows now (read when the links get focus, so they follow what the page loaded).
 */
export function SkipLinks() {
  const [targets, setTargets] = useState<Target[]>([]);
  return (
    <nav
      aria-label="Skip links"
      className="focus-within:fixed focus-within:left-2 focus-within:top-2 focus-within:z-50 focus-within:flex focus-within:flex-col focus-within:gap-1"
      onFocus={() => {
        const next = currentTargets();
        if (JSON.stringify(next) !== JSON.stringify(targets)) setTargets(next);
      }}
    >
      <a href="#main" className={LINK} onClick={(e) => jump(e, "main")}>
        Skip to content
      </a>
      {targets.map((t) => (
        <a key={t.id} href={`#${t.id}`} className={LINK} onClick={(e) => jump(e, t.id)}>
          Skip to {t.label.charAt(0).toLowerCase() + t.label.slice(1)}
        </a>
      ))}
    </nav>
  );
}
