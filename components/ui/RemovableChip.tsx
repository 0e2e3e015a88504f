/** An active filter said in words, with a button that removes just it ("Status: Failed with error ×"). */
export function RemovableChip({ name, value, onRemove }: { name: string; value: string; onRemove: () => void }) {
  return (
    <span
      className="inline-flex max-w-full items-center gap-1 rounded-full border border-blue-700 bg-blue-50 py-0.5 pr-0.5 pl-2.5 text-xs text-blue-950 dark:border-blue-300 dark:bg-blue-950 dark:text-blue-100"
      data-testid="active-filter"
    >
      <span className="min-w-0 truncate">
        <span className="font-medium">{name}:</span> {value}
      </span>
      <button
        type="button"
        onClick={onRemove}
        aria-label={`Remove the filter ${name}: ${value}`}
        title="Remove this filter"
        className="inline-flex h-6 w-6 shrink-0 items-center justify-center rounded-full hover:bg-blue-200 dark:hover:bg-blue-800"
      >
        <span aria-hidden="true">×</span>
      </button>
    </span>
  );
}
