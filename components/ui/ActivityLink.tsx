import Link from "next/link";
import type { ComponentProps } from "react";

/**
 * A link to a run's page (`/activities/{id}`) in the dashboard's link colours; `className` adds the
 * place's own (weight, wrapping), the other props go to the link (a test id, a title).
 */
export function ActivityLink({ id, className, ...rest }: { id: string } & Omit<ComponentProps<typeof Link>, "href">) {
  return (
    <Link
      href={`/activities/${id}`}
      className={`${className ? `${className} ` : ""}text-blue-800 hover:underline dark:text-blue-300`}
      {...rest}
    />
  );
}
