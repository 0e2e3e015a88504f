import fs from "node:fs";
import path from "node:path";
import { readStoreConfig } from "@/lib/db/store-config";
import { keyPrefix, generateApiKey, sha256 } from "@/lib/auth/secrets";
import { uuidv7 } from "@/lib/domain/ids";
import { getPrisma } from "@/lib/db/client";

export const ENV_KEY_NAME = "Environment administrator key";
const KEY_FILE = "admin-api-key";

/** Where the generated key is written: the PGlite folder, or SYNCWATCH_DATA_DIR / .syncwatch-data with PostgreSQL. */
export function adminKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  const store = readStoreConfig(env);
  const dir =
    store.kind === "pglite"
      ? store.dataDir
      : path.resolve(/*turbopackIgnore: true*/ env.SYNCWATCH_DATA_DIR?.trim() || ".syncwatch-data");
  return path.join(/*turbopackIgnore: true*/ dir, KEY_FILE);
}

/**
 * Makes sure someone can sign in. With SYNCWATCH_ADMIN_API_KEY, that exact key exists (and is
 * active) as an Administrator key. Otherwise, when no active Administrator key exists, one is
 * created and its secret written to <dataDir>/admin-api-key (mode 0600). Returns the secret to
 * print (the env key, the new key, or the one read back from the file) and whether it was created.
 */
export async function ensureBootstrapAdminKey(
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ secret: string | null; created: boolean }> {
  const prisma = await getPrisma();
  const fromEnv = env.SYNCWATCH_ADMIN_API_KEY?.trim();
  if (fromEnv) {
    if (fromEnv.length < 20)
      throw new Error(
        "SYNCWATCH_ADMIN_API_KEY must be at least 20 characters long (use e.g. `openssl rand -base64 32`).",
      );
    const secretHash = sha256(fromEnv);
    const existing = await prisma.apiKey.findUnique({ where: { secretHash } });
    if (existing) {
      if (existing.revokedAt || existing.role !== "Administrator")
        await prisma.apiKey.update({ where: { id: existing.id }, data: { revokedAt: null, role: "Administrator" } });
      return { secret: fromEnv, created: false };
    }
    await prisma.apiKey.create({
      data: { id: uuidv7(), name: ENV_KEY_NAME, prefix: keyPrefix(fromEnv), secretHash, role: "Administrator" },
    });
    return { secret: fromEnv, created: true };
  }
  const file = adminKeyFile(env);
  const active = await prisma.apiKey.count({ where: { role: "Administrator", revokedAt: null } });
  if (active > 0) {
    // Read back the generated key if it is still an active one, so the server can print the sign-in link again.
    try {
      const saved = fs.readFileSync(/*turbopackIgnore: true*/ file, "utf8").trim();
      const row = saved ? await prisma.apiKey.findUnique({ where: { secretHash: sha256(saved) } }) : null;
      return { secret: row && !row.revokedAt ? saved : null, created: false };
    } catch {
      return { secret: null, created: false };
    }
  }
  const { secret, prefix, secretHash } = generateApiKey();
  await prisma.apiKey.create({
    data: { id: uuidv7(), name: "Administrator key (generated)", prefix, secretHash, role: "Administrator" },
  });
  fs.mkdirSync(/*turbopackIgnore: true*/ path.dirname(file), { recursive: true });
  fs.writeFileSync(/*turbopackIgnore: true*/ file, secret + "\n", { mode: 0o600 });
  fs.chmodSync(/*turbopackIgnore: true*/ file, 0o600);
  return { secret, created: true };
}
