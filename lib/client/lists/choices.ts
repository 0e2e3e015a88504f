/**
 * The multi-valued ("any of") filters of a list, declared once in its definition: a table keyed by
 * the filter's URL key, which is also its API query name. The filter bar draws one chip group per
 * entry, says each chosen value as a removable chip, and the list's API query takes the values as
 * they are; so a new multi-valued filter on a list is one parser and one entry here.
 */
export interface Choice {
  /** The group's name, and the name of its removable chips ("Status: Failed with error"). */
  legend: string;
  /** The values offered, in order (a list with counts offers those it has, see offered). */
  values: readonly string[];
  /** A value in words (the value itself when not given). */
  label?: (value: string) => string;
  /** A value's explanation, on hover. */
  title?: (value: string) => string;
  /** "danger" marks values that are failures. */
  tone?: "danger";
  /** The data-testid of a value's chip. */
  testId?: (value: string) => string;
  /** Values are free text (object types): a list with counts offers every value it counts. */
  open?: boolean;
}

export type Choices<K extends string = string> = Record<K, Choice>;

/** The table of a list, typed by its keys (the keys stay literal for the list's state). */
export const defineChoices = <K extends string>(choices: Choices<K>) => choices;

export const choiceKeys = <K extends string>(choices: Choices<K>) => Object.keys(choices) as K[];

export const labelOf = (choice: Choice, value: string) => choice.label?.(value) ?? value;

type ChoiceState<K extends string> = { [P in K]: readonly string[] };

/** The list's API query of its multi-valued filters: each under its own name. */
export function choiceQuery<K extends string>(
  choices: Choices<K>,
  state: ChoiceState<NoInfer<K>>,
): Record<K, string[]> {
  return Object.fromEntries(choiceKeys(choices).map((k) => [k, [...state[k]]])) as Record<K, string[]>;
}

/** A filter that is set, said in words, and the change that removes just it. */
export interface SetFilter<Patch> {
  key: string;
  name: string;
  value: string;
  patch: Patch;
}

/** Every chosen value of these filters as a removable chip (its patch sets the filter to the rest). */
export function choiceChips<K extends string>(
  choices: Choices<K>,
  state: ChoiceState<NoInfer<K>>,
): SetFilter<Partial<Record<K, string[] | null>>>[] {
  return choiceKeys(choices).flatMap((k) =>
    state[k].map((v) => {
      const rest = state[k].filter((x) => x !== v);
      return {
        key: `${k}:${v}`,
        name: choices[k].legend,
        value: labelOf(choices[k], v),
        patch: { [k]: rest.length ? rest : null } as Partial<Record<K, string[] | null>>,
      };
    }),
  );
}

/**
 * The values a list with counts offers: the declared ones it counts (or that are chosen); for free
 * values, every one counted or chosen, sorted.
 */
export function offered(choice: Choice, selected: readonly string[], counts: Record<string, number> | undefined) {
  const has = (v: string) => (counts?.[v] ?? 0) > 0 || selected.includes(v);
  if (!choice.open) return choice.values.filter(has);
  return [...new Set([...Object.keys(counts ?? {}), ...selected])].filter(has).sort();
}
