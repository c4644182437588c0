// `addComponentVersions` and transfers check what they can before they write (#10): a constructor that cannot
// become a valid descriptor leaves no new repository behind, and elements no selector could tell apart are
// refused.
import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createPluginManager } from "../../index.js";
import { addComponentVersions } from "../../manager/operations/add-component-versions.js";
import type { ComponentVersionRepository } from "../../core/index.js";
import { transferComponentVersions } from "../../manager/operations/transfer/transfer-component-versions.js";
import { ctfPlugin } from "../../plugins/ctf/plugin.js";
import { bytes, descriptor, localResource } from "../helpers/component-versions.js";
import { useTempDir } from "../helpers/temp-dir.js";

async function setup() {
  const home = await useTempDir();
  const manager = createPluginManager({ home, cacheFile: false, handleSignals: false, env: {} });
  const repository = { type: "CommonTransportFormat/v1", filePath: join(home, "ctf"), accessMode: "create" };
  const add = async (constructor: string) => {
    const path = join(home, "constructor.yaml");
    await writeFile(path, constructor);
    return addComponentVersions(manager, { repository, constructorPath: path }).then(
      () => undefined,
      (error: unknown) => error as { code: string; message: string },
    );
  };
  return { home, manager, repository, add };
}

const component = (name: string, resources: string) =>
  `  - name: ${name}\n    version: 1.0.0\n    provider: {name: acme.org}\n    resources:\n${resources}`;
const text = (name: string, extra = "") =>
  `      - name: ${name}\n        type: plainText\n${extra}        input: {type: utf8, text: "hello"}\n`;

describe("addComponentVersions before it writes (#10)", () => {
  it("creates no repository when a later component's descriptor would be invalid (#10)", async () => {
    const { home, manager, add } = await setup();
    try {
      const error = await add(
        `components:\n${component("acme.org/good", text("readme"))}${component("acme.org/bad", text("Not A Name"))}`,
      );
      expect(error?.code).toBe("OCM_DESCRIPTOR_INVALID");
      expect(error?.message).toContain("component acme.org/bad:1.0.0");
      expect(error?.message).toContain("component.resources.0.name");
      expect(await readdir(home)).not.toContain("ctf");
    } finally {
      await manager.close();
    }
  });

  it("creates no repository when a later input type has no plugin (#10)", async () => {
    const { home, manager, add } = await setup();
    try {
      const error = await add(
        `components:\n${component("acme.org/good", text("readme"))}${component("acme.org/x", `      - name: data\n        type: blob\n        input: {type: nosuchinput}\n`)}`,
      );
      expect(error?.code).toBe("OCM_PLUGIN_NOT_FOUND");
      expect(await readdir(home)).not.toContain("ctf");
    } finally {
      await manager.close();
    }
  });

  it("refuses two resources with the same identity, naming both, and writes nothing (#10)", async () => {
    const { home, manager, add } = await setup();
    try {
      const error = await add(
        `components:\n${component("acme.org/x", text("readme", "        extraIdentity: {os: linux}\n") + text("other") + text("readme", "        extraIdentity: {os: linux}\n"))}`,
      );
      expect(error?.code).toBe("OCM_CONSTRUCTOR_INVALID");
      expect(error?.message).toContain(
        "components.0.resources.0 and components.0.resources.2 are resources with the same identity name=readme,os=linux,version=1.0.0",
      );
      expect(await readdir(home)).not.toContain("ctf");
    } finally {
      await manager.close();
    }
  });

  it("refuses a descriptor with two resources of one identity when it is added to a repository (#10)", async () => {
    const { manager, repository } = await setup();
    try {
      const repo = await manager.getPlugin(repository.type, "componentVersionRepository");
      const digest = `sha256:${"a".repeat(64)}`;
      const twice = descriptor("acme.org/x", "1.0.0", [
        localResource("data", digest),
        localResource("data", digest),
      ]);
      const error = await repo
        .addComponentVersion({ repository, descriptor: twice })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "OCM_DESCRIPTOR_INVALID" });
      expect((error as Error).message).toContain(
        "component.resources.0 and component.resources.1 have the same identity name=data,version=1.0.0",
      );
    } finally {
      await manager.close();
    }
  });
});

describe("transfer before it writes (#10)", () => {
  it("refuses a source descriptor with two resources of one identity before copying any blob (#10)", async () => {
    const { home, manager } = await setup();
    try {
      // A repository written by another tool: the CTF plugin itself, without the host's checks.
      const source = { type: "CommonTransportFormat/v1", filePath: join(home, "src"), accessMode: "create" };
      const raw = ctfPlugin.types["CommonTransportFormat/v1"]?.capabilities
        .componentVersionRepository as ComponentVersionRepository;
      const blob = await raw.addLocalBlob(
        { repository: source, component: "acme.org/x", version: "1.0.0", mediaType: "text/plain" },
        bytes("hello"),
      );
      const twice = descriptor("acme.org/x", "1.0.0", [
        localResource("data", blob.digest),
        localResource("data", blob.digest),
      ]);
      await raw.addComponentVersion({ repository: source, descriptor: twice });
      const target = { type: "CommonTransportFormat/v1", filePath: join(home, "tgt"), accessMode: "create" };
      const error = await transferComponentVersions(manager, {
        source,
        target,
        component: "acme.org/x",
      }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "OCM_DESCRIPTOR_INVALID" });
      expect((error as Error).message).toContain("component.resources.0 and component.resources.1");
      expect(await readdir(home)).not.toContain("tgt");
    } finally {
      await manager.close();
    }
  });
});
