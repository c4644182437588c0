// `ocm plugin install`: select the `ocmPlugin` resource for this machine, download and check it, unpack
// it in a staging directory inside the plugin directory, run its `capabilities`, and only then rename
// it into place. Any failure before the rename leaves the previous version as it was.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { OcmError, type CapabilitiesDocument, type TypedSpec } from "../../../core/index.js";
import { isPluginFileName, pluginIdOf } from "../../plugin-store/plugin-files.js";
import type { CapabilityProvider, EventPublisher, PluginProbe } from "../../../core/index.js";
import { fetchPluginBlob } from "./fetch-plugin-blob.js";
import { goArch, goOs } from "./platform.js";
import {
  readPluginRecord,
  writePluginRecord,
  type PluginProvenance,
} from "../../plugin-store/plugin-record.js";
import { resolvePluginVersion } from "./resolve-plugin-version.js";
import { selectPluginResource } from "./select-plugin-resource.js";
import { unpackPlugin } from "./unpack-plugin.js";
import { verifyPluginSignature, type PluginSignatureOptions } from "./verify-plugin-signature.js";

export interface InstallPluginOptions {
  repository: TypedSpec;
  component: string;
  /** The version to install; without it, the highest satisfying `constraint`, or the latest. */
  version?: string | undefined;
  /** A semver range (`^1.2`) the installed version must satisfy; recorded for `ocm plugin update`. */
  constraint?: string | undefined;
  /** The plugin directory to install into (created when missing). */
  pluginDir: string;
  /** Resource name, when the component ships more than one plugin. */
  resource?: string | undefined;
  /** More identity attributes the resource must have. */
  extraIdentity?: Record<string, string> | undefined;
  /** Reinstall an identical digest, and replace another file with the same plugin id. */
  force?: boolean | undefined;
  /** Target platform in Go's names; defaults to this machine. */
  os?: string | undefined;
  architecture?: string | undefined;
  /**
   * Verify the component version's signature with this public key (PEM) before anything is downloaded
   * into the plugin directory; an unsigned or wrongly signed plugin is refused.
   */
  verifySignature?: PluginSignatureOptions | undefined;
  /** Bound on the staged plugin's `capabilities` (ms). Default 10 s. */
  capabilitiesTimeoutMs?: number | undefined;
  /** Receives `plugin.installed` once the plugin is in place. */
  events?: EventPublisher | undefined;
}

export interface InstallPluginResult {
  id: string;
  path: string;
  /** `unchanged`: the same digest was already installed, nothing was done. */
  status: "installed" | "updated" | "unchanged";
  provenance: PluginProvenance;
  /** The version it replaced, if any. */
  previous?: { version: string; digest: string } | undefined;
  document?: CapabilitiesDocument | undefined;
}

/** Other files in `dir` that discovery would give the id `id`. */
async function sameIdFiles(dir: string, id: string, file: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((name) => name !== file && isPluginFileName(name) && pluginIdOf(name) === id);
}

/** Installs one plugin from a component version into `options.pluginDir`. */
export async function installPlugin(
  manager: CapabilityProvider & PluginProbe,
  options: InstallPluginOptions,
): Promise<InstallPluginResult> {
  const version =
    options.version ??
    (await resolvePluginVersion(
      manager,
      { repository: options.repository, component: options.component },
      options.constraint,
    ));
  const source = { repository: options.repository, component: options.component, version };
  const repo = await manager.getPlugin(options.repository.type, "componentVersionRepository");
  const { descriptor } = await repo.getComponentVersion(source);
  const os = options.os ?? goOs();
  const { resource, identity } = selectPluginResource(descriptor, {
    resource: options.resource,
    extraIdentity: options.extraIdentity,
    os,
    architecture: options.architecture ?? goArch(),
  });
  const signature = options.verifySignature
    ? await verifyPluginSignature(manager, source, descriptor, resource, options.verifySignature)
    : undefined;
  const id = resource.name;
  const file = os === "windows" ? `${id}.exe` : id;
  const dir = options.pluginDir;
  const target = join(dir, file);
  await mkdir(dir, { recursive: true });

  const record = await readPluginRecord(dir, id);
  const others = await sameIdFiles(dir, id, file);
  if (others.length && !options.force) {
    throw new OcmError({
      code: "OCM_PLUGIN_CONFLICT",
      message: `${dir} already holds ${others.join(", ")} with the plugin id ${id}`,
      hint: `Remove it, or pass --force to replace it with the installed plugin ${file}.`,
    });
  }

  const staging = await mkdtemp(join(dir, `.staging-${id}-`));
  try {
    const blob = await fetchPluginBlob(manager, source, resource, staging);
    const provenance: PluginProvenance = {
      component: options.component,
      version,
      ...(options.constraint === undefined ? {} : { constraint: options.constraint }),
      resource: identity,
      digest: blob.digest,
      repository: { ...options.repository },
      installedAt: new Date().toISOString(),
      ...(signature ? { signature } : {}),
    };
    const previous =
      record?.provenance && existsSync(target)
        ? { version: record.provenance.version, digest: record.provenance.digest }
        : undefined;
    if (previous?.digest === blob.digest && !options.force) {
      return {
        id,
        path: target,
        status: "unchanged",
        provenance: record?.provenance ?? provenance,
        previous,
      };
    }
    const executable = await unpackPlugin(blob.path, staging, id);
    const checked = await manager.probePlugin(executable, options.capabilitiesTimeoutMs ?? 10_000);
    if (checked.state !== "ok") {
      throw new OcmError({
        code: "OCM_INSTALL_INVALID_PLUGIN",
        message: `plugin ${id} from ${options.component}:${version} failed its capabilities check: ${checked.error?.message ?? "invalid"}`,
        hint: `${existsSync(target) ? "The installed version was left in place. " : ""}${checked.error?.hint ?? ""}`.trim(),
        details: {
          reason: checked.error?.code,
          ...(checked.stderrTail ? { stderr: checked.stderrTail } : {}),
        },
      });
    }
    // The rename is the moment the new version goes live; the record follows it.
    const replaced = existsSync(target);
    await rename(executable, target);
    await writePluginRecord(dir, id, { file, provenance, ...(record?.disabled ? { disabled: true } : {}) });
    for (const other of others) await rm(join(dir, other), { force: true });
    await options.events?.publish({
      type: "plugin.installed",
      subject: {
        repository: options.repository,
        component: provenance.component,
        version: provenance.version,
        plugin: { id, ...(checked.document?.version ? { version: checked.document.version } : {}) },
      },
      data: { path: target, status: replaced ? "updated" : "installed" },
    });
    return {
      id,
      path: target,
      status: replaced ? "updated" : "installed",
      provenance,
      previous,
      document: checked.document,
    };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
