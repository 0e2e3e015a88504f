#!/usr/bin/env node
// The npm registry mirror on our build machines serves only the platform packages of the
// machine itself (linux-x64). `npm install` there silently leaves the other platforms'
// optional packages (e.g. @next/swc-darwin-arm64) out of package-lock.json, and `npm ci`
// then refuses the lock as "out of sync". This restores the lock entries npm would have
// written with the full registry: name, version, os/cpu/libc, optional. `npm ci` skips them
// on a platform they do not match, and fetches them where they do.
// Run after `npm install` whenever the lock changes: `node scripts/complete-lockfile.mjs`.
import { readFileSync, writeFileSync } from "node:fs";

const lockPath = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, "utf8"));
const packages = lock.packages;

const OS = ["darwin", "win32", "linux", "freebsd", "android", "openbsd", "sunos", "aix"];
const CPU = ["arm64", "x64", "ia32", "arm", "wasm32", "ppc64", "s390x", "riscv64", "loong64"];

function platformOf(name) {
  const tokens = name.split("/").pop().split("-");
  const os = tokens.find((t) => OS.includes(t));
  const cpu = tokens.find((t) => CPU.includes(t));
  const libc = tokens.includes("musl")
    ? "musl"
    : tokens.includes("gnu") || tokens.includes("gnueabihf")
      ? "glibc"
      : undefined;
  return { os, cpu, libc };
}

const added = [];
for (const [path, entry] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${dep}`;
    if (packages[key] || packages[`${path}/${key}`]) continue;
    const { os, cpu, libc } = platformOf(dep);
    if (!os && !cpu) continue; // not a platform package: leave it to npm
    packages[key] = {
      version,
      ...(cpu ? { cpu: [cpu] } : {}),
      ...(entry.dev ? { dev: true } : {}),
      ...(libc ? { libc: [libc] } : {}),
      optional: true,
      ...(os ? { os: [os] } : {}),
    };
    added.push(`${dep}@${version}`);
  }
}

lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))),
);
writeFileSync(lockPath, JSON.stringify(lock, null, 2) + "\n");
console.log(
  added.length ? `added ${added.length} platform entries: ${added.join(", ")}` : "lock file already complete",
);
