import { Suspense, type ComponentType } from "react";

/**
 * The page of one resource named by its `[id]` segment (a run, a failed object): the view, given the id,
 * inside the Suspense boundary its URL state (nuqs) needs.
 */
export function idPage(View: ComponentType<{ id: string }>) {
  return async function IdPage({ params }: { params: Promise<{ id: string }> }) {
    const { id } = await params;
    return (
      <Suspense fallback={null}>
        <View id={id} />
      </Suspense>
    );
  };
}
