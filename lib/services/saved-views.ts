/** Saved list views of an API key. */
import type { z } from "zod";
import type { SavedView } from "@/lib/api/saved-views";
import type { SavedViewScope as SavedViewScopeSchema } from "@/lib/api/kit";
import { ConflictError, NotFoundError } from "@/lib/domain/errors";
import { uuidv7 } from "@/lib/domain/ids";
import { deleteView, findView, listViews, saveView } from "@/lib/repo/saved-views";
import { toSavedView } from "./mappers";

type Scope = z.infer<typeof SavedViewScopeSchema>;

export async function listSavedViews(apiKeyId: string, scope?: Scope): Promise<{ items: SavedView[] }> {
  return { items: (await listViews(apiKeyId, scope)).map(toSavedView) };
}

const nameTaken = (name: string) =>
  new ConflictError(`You already have a view named "${name}" for this list.`, { name });

export async function createSavedView(
  apiKeyId: string,
  body: { scope: Scope; name: string; query: string; isDefault: boolean },
): Promise<SavedView> {
  const saved = await saveView({ id: uuidv7(), apiKeyId, ...body }, true);
  if (saved === "name-taken") throw nameTaken(body.name);
  return toSavedView(saved);
}

export async function updateSavedView(
  apiKeyId: string,
  id: string,
  patch: { name?: string; query?: string; isDefault?: boolean },
): Promise<SavedView> {
  const current = await findView(apiKeyId, id);
  if (!current) throw new NotFoundError(`Saved view ${id} does not exist.`, { id });
  const saved = await saveView({ ...current, ...patch }, false);
  if (saved === "name-taken") throw nameTaken(patch.name ?? current.name);
  return toSavedView(saved);
}

export async function deleteSavedView(apiKeyId: string, id: string): Promise<void> {
  if (!(await deleteView(apiKeyId, id))) throw new NotFoundError(`Saved view ${id} does not exist.`, { id });
}
