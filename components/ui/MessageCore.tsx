import { messageCore } from "@/lib/domain/messages";

/**
 * An error message for a one-line view: its distinctive part, after the wrappers every message of
 * its kind repeats ("Export failed after 3 retries: "); the whole message is its title (a clamped
 * line's rest, too).
 */
export function MessageCore({ message, className, testId }: { message: string; className?: string; testId?: string }) {
  return (
    <span className={className} title={message} data-testid={testId}>
      {messageCore(message)}
    </span>
  );
}
