"use client";
import { useEffect, useState, useSyncExternalStore } from "react";
import { applyThemeChoice, readThemeChoice, THEME_CHOICES, type ThemeChoice } from "./theme";

const LABELS: Record<ThemeChoice, string> = { light: "Light", dark: "Dark", system: "System" };

function Icon({ choice }: { choice: ThemeChoice }) {
  const common = {
    "aria-hidden": true as const,
    viewBox: "0 0 24 24",
    className: "h-4 w-4",
    fill: "none",
    stroke: "currentColor",
    strokeWidth: 2,
  };
  if (choice === "light")
    return (
      <svg {...common}>
        <circle cx="12" cy="12" r="4" />
        <path d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4" />
      </svg>
    );
  if (choice === "dark")
    return (
      <svg {...common}>
        <path d="M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z" />
      </svg>
    );
  return (
    <svg {...common}>
      <rect x="3" y="4" width="18" height="12" rx="2" />
      <path d="M8 20h8M12 16v4" />
    </svg>
  );
}

const subscribeNothing = () => () => {};

/**
 * Light / Dark / System as three pressed-or-not buttons: every choice stays available after one is
 * made, the choice is stored, and System follows the operating system's setting as it changes.
 */
export function ThemeMenu() {
  // The stored choice is only known in the browser: render nothing pressed on the server.
  const hydrated = useSyncExternalStore(
    subscribeNothing,
    () => true,
    () => false,
  );
  const [choice, setChoice] = useState<ThemeChoice | null>(null);
  const current = choice ?? (hydrated ? readThemeChoice() : null);
  useEffect(() => {
    const mq = window.matchMedia("(prefers-color-scheme: dark)");
    const onChange = () => {
      if (readThemeChoice() === "system") applyThemeChoice("system");
    };
    mq.addEventListener("change", onChange);
    return () => mq.removeEventListener("change", onChange);
  }, []);
  return (
    <div
      role="group"
      aria-label="Theme"
      className="inline-flex rounded-md border border-slate-300 p-0.5 dark:border-slate-600"
      data-testid="theme-menu"
    >
      {THEME_CHOICES.map((c) => (
        <button
          key={c}
          type="button"
          aria-pressed={current === c}
          title={`${LABELS[c]} theme`}
          onClick={() => {
            applyThemeChoice(c);
            setChoice(c);
          }}
          className={
            "inline-flex h-7 items-center gap-1 rounded px-2 text-xs font-medium " +
            (current === c
              ? "bg-slate-800 text-white dark:bg-slate-200 dark:text-slate-900"
              : "text-slate-700 hover:bg-slate-200 dark:text-slate-200 dark:hover:bg-slate-800")
          }
        >
          <Icon choice={c} />
          <span className="max-md:sr-only">{LABELS[c]}</span>
        </button>
      ))}
    </div>
  );
}
