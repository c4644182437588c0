// The install record beside a plugin: where it came from (provenance) and whether it is disabled. It is a
// dot file ending in `.json`, so discovery never mistakes it for a plugin (ADR 0001 "Discovery").
import { randomBytes } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** Where an installed plugin came from, as `ocm plugin list` and `info` show it. */
export interface PluginProvenance {
  component: string;
  version: string;
  /** The semver range it was installed with (`ocm plugin install <ref>:^1.2`); `ocm plugin update` keeps to it. */
  constraint?: string;
  /** The identity of the `ocmPlugin` resource that was installed. */
  resource: Record<string, string>;
  /** Digest of the resource blob as downloaded and checked, `sha256:<hex>`. */
  digest: string;
  /** The repository spec it was installed from. */
  repository: Record<string, unknown>;
  /** ISO 8601 time of the install. */
  installedAt: string;
  /** The signature verified before the install (`--verify-signature`). */
  signature?: { name: string; algorithm: string; digest: string };
}

/** The record of one plugin file in a plugin directory. */
export interface PluginRecord {
  /** The plugin's file name in the directory. */
  file: string;
  provenance?: PluginProvenance;
  disabled?: boolean;
}

/** The record file of plugin `id` in `dir`. */
export function recordPath(dir: string, id: string): string {
  return join(dir, `.${id}.ocm-plugin.json`);
}

/** Reads the record of `id`; a missing or unreadable record is none. */
export async function readPluginRecord(dir: string, id: string): Promise<PluginRecord | undefined> {
  try {
    const parsed = JSON.parse(await readFile(recordPath(dir, id), "utf8")) as PluginRecord;
    return typeof parsed === "object" && parsed !== null && typeof parsed.file === "string"
      ? parsed
      : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the record of `id` atomically (temp file and rename). */
export async function writePluginRecord(dir: string, id: string, record: PluginRecord): Promise<void> {
  const target = recordPath(dir, id);
  const temp = `${target}.${randomBytes(6).toString("hex")}.tmp`;
  await writeFile(temp, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o644 });
  await rename(temp, target);
}

/** Removes the record of `id`, if any. */
export async function removePluginRecord(dir: string, id: string): Promise<void> {
  await rm(recordPath(dir, id), { force: true });
}
