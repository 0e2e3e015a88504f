import type { ApiKeyRole } from "@/lib/domain/enums";

export function RoleBadge({ role }: { role: ApiKeyRole }) {
  const admin = role === "Administrator";
  return (
    <span
      data-testid="role-badge"
      className={
        "inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-semibold whitespace-nowrap " +
        (admin
          ? "bg-violet-100 text-violet-900 dark:bg-violet-900/60 dark:text-violet-100"
          : "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100")
      }
    >
      {admin ? "Administrator" : "Read-only"}
    </span>
  );
}
