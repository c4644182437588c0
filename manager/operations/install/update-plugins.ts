// `ocm plugin update [<id>]`: asks the repository an installed plugin came from (its install record) for
// the highest version within the recorded constraint (or the latest) and installs it when it is newer.
// The install is atomic, so a plugin whose update fails keeps the version it had; failures are data.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { OcmError, toOcmError, type OcmErrorData, type TypedSpec } from "../../../core/index.js";
import { sortVersions } from "../../../core/model/index.js";
import type { CapabilityProvider, PluginProbe } from "../../../core/index.js";
import { installPlugin } from "./install-plugin.js";
import { findPluginFile } from "./manage-installed.js";
import { readPluginRecord, type PluginProvenance } from "../../plugin-store/plugin-record.js";
import { resolvePluginVersion } from "./resolve-plugin-version.js";
import type { PluginSignatureOptions } from "./verify-plugin-signature.js";

export interface UpdatePluginsOptions {
  /** The plugin directories, in precedence order (the first holding an id wins, as in discovery). */
  pluginDirs: string[];
  /** Only this plugin; without it, every plugin that has an install record. */
  id?: string | undefined;
  /** Verify each new version's signature; required for plugins installed with a verified signature. */
  verifySignature?: PluginSignatureOptions | undefined;
  /** Bound on the new version's `capabilities` (ms). */
  capabilitiesTimeoutMs?: number | undefined;
}

/** What happened to one installed plugin. */
export interface PluginUpdate {
  id: string;
  path: string;
  component: string;
  /** The constraint the version was chosen within; none means the latest. */
  constraint?: string | undefined;
  status: "up-to-date" | "updated" | "failed";
  /** The installed version before the update (and after it, unless `updated`). */
  from: string;
  /** The version now installed, when `updated`. */
  to?: string | undefined;
  /** Why it failed; the installed version was kept. */
  error?: OcmErrorData | undefined;
}

interface Installed {
  id: string;
  dir: string;
  file: string;
  provenance: PluginProvenance;
}

const RECORD = /^\.(.+)\.ocm-plugin\.json$/;

/** Every plugin with an install record that names its source, first directory first, one per id. */
async function installedPlugins(dirs: string[]): Promise<Installed[]> {
  const found = new Map<string, Installed>();
  for (const dir of dirs) {
    const names = (await readdir(dir).catch(() => [] as string[])).sort();
    for (const name of names) {
      const id = RECORD.exec(name)?.[1];
      if (id === undefined || found.has(id)) continue;
      const record = await readPluginRecord(dir, id);
      if (record?.provenance && names.includes(record.file)) {
        found.set(id, { id, dir, file: record.file, provenance: record.provenance });
      }
    }
  }
  return [...found.values()];
}

async function oneInstalled(dirs: string[], id: string): Promise<Installed> {
  const { dir, file } = await findPluginFile(dirs, id);
  const provenance = (await readPluginRecord(dir, id))?.provenance;
  if (!provenance) {
    throw new OcmError({
      code: "OCM_INSTALL_NO_SOURCE",
      message: `plugin ${id} (${join(dir, file)}) has no install record saying where it came from`,
      hint: "Install it with `ocm plugin install <repository>//<component>`; then `ocm plugin update` can update it.",
    });
  }
  return { id, dir, file, provenance };
}

async function updateOne(
  manager: CapabilityProvider & PluginProbe,
  plugin: Installed,
  options: UpdatePluginsOptions,
): Promise<PluginUpdate> {
  const { provenance } = plugin;
  const base = {
    id: plugin.id,
    path: join(plugin.dir, plugin.file),
    component: provenance.component,
    ...(provenance.constraint === undefined ? {} : { constraint: provenance.constraint }),
    from: provenance.version,
  };
  try {
    const repository = provenance.repository as TypedSpec;
    const version = await resolvePluginVersion(
      manager,
      { repository, component: provenance.component },
      provenance.constraint,
    );
    const newer =
      version !== provenance.version && sortVersions([provenance.version, version])[1] === version;
    if (!newer) return { ...base, status: "up-to-date" };
    if (provenance.signature && !options.verifySignature) {
      throw new OcmError({
        code: "OCM_USAGE_INVALID",
        message: `${plugin.id} was installed with a verified signature (${provenance.signature.name}); ${version} must be verified too`,
        hint: "Pass --verify-signature <public-key-file> (and --signature <name>) to ocm plugin update.",
      });
    }
    const { name, version: _version, os, architecture, ...extraIdentity } = provenance.resource;
    const result = await installPlugin(manager, {
      repository,
      component: provenance.component,
      version,
      constraint: provenance.constraint,
      pluginDir: plugin.dir,
      resource: name,
      extraIdentity,
      os,
      architecture,
      verifySignature: options.verifySignature,
      capabilitiesTimeoutMs: options.capabilitiesTimeoutMs,
    });
    return result.status === "unchanged"
      ? { ...base, status: "up-to-date" }
      : { ...base, status: "updated", to: result.provenance.version };
  } catch (error) {
    return { ...base, status: "failed", error: toOcmError(error, "OCM_INSTALL_UPDATE_FAILED").toJSON() };
  }
}

/** Updates the installed plugins (or one by id), one after another; never throws for one plugin's failure. */
export async function updatePlugins(
  manager: CapabilityProvider & PluginProbe,
  options: UpdatePluginsOptions,
): Promise<PluginUpdate[]> {
  const plugins =
    options.id === undefined
      ? await installedPlugins(options.pluginDirs)
      : [await oneInstalled(options.pluginDirs, options.id)];
  const results: PluginUpdate[] = [];
  for (const plugin of plugins) results.push(await updateOne(manager, plugin, options));
  return results;
}
