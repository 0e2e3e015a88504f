import { describeError } from "@/lib/client/http";
import type { ConfirmedMutation } from "./ConfirmDialog";

/** What went wrong with an action, said beside its button ("Could not cancel: …"); nothing while it has not failed. */
export function MutationError({
  mutation,
  what,
}: {
  mutation: Pick<ConfirmedMutation, "isError" | "error">;
  what: string;
}) {
  return mutation.isError ? (
    <p role="alert" className="text-sm text-red-800 dark:text-red-300">
      {what}: {describeError(mutation.error)}
    </p>
  ) : null;
}
