"use client";
import { useDebouncedInput } from "@/components/ui/useDebounced";
import { searchProblem } from "@/lib/client/lists/search";
import { Field, INPUT_CLASS, PROBLEM_CLASS } from "./Field";

/**
 * The list's text search: typed text reaches the URL after a pause (replacing the history entry), and
 * text over the API's limit is said at once, as it is typed.
 */
export function SearchField({
  id,
  label,
  value,
  onCommit,
  placeholder,
  inline = false,
  className = "min-w-0 flex-[1_1_16rem]",
  testId,
}: {
  id: string;
  label: string;
  value: string;
  onCommit: (text: string) => void;
  placeholder: string;
  inline?: boolean;
  className?: string;
  testId?: string;
}) {
  const [text, setText] = useDebouncedInput(value, onCommit);
  const problem = searchProblem(text);
  return (
    <Field id={id} label={label} inline={inline} className={className}>
      <input
        id={id}
        type="search"
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={placeholder}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-error` : undefined}
        className={`${INPUT_CLASS} w-full`}
        data-testid={testId}
      />
      {problem ? (
        <p id={`${id}-error`} role="alert" className={PROBLEM_CLASS}>
          {problem}
        </p>
      ) : null}
    </Field>
  );
}
