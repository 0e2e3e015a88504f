export function SkeletonBar({ className = "" }: { className?: string }) {
  return (
    <span aria-hidden="true" className={`block animate-pulse rounded bg-slate-200 dark:bg-slate-700 ${className}`} />
  );
}
