// The plugin definition as the manager sees it: name, type, aliases, capabilities and the spec's JSON Schema.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { ctfPlugin } from "../../../plugins/ctf/plugin.js";
import { useTempDir } from "../../helpers/temp-dir.js";
import { descriptor, lister, repo, versions } from "./helpers.js";

describe("the ctf plugin definition", () => {
  it("serves CommonTransportFormat/v1 under its aliases with four capabilities", () => {
    expect(ctfPlugin.name).toBe("ctf");
    const type = ctfPlugin.types["CommonTransportFormat/v1"];
    expect(type?.aliases).toEqual(["ctf", "CommonTransportFormat"]);
    expect(Object.keys(type?.capabilities ?? {}).sort()).toEqual([
      "componentLister",
      "componentVersionRepository",
      "consumerIdentity",
      "resourceRepository",
    ]);
    expect(type?.schema).toMatchObject({
      type: "object",
      required: expect.arrayContaining(["type", "filePath"]) as unknown,
      properties: {
        accessMode: { enum: ["readonly", "readwrite", "create"] },
        fileFormat: { enum: ["directory", "tar", "tgz"] },
        format: { enum: ["directory", "tar", "tgz"] },
      },
    });
  });

  it("resolves a relative filePath against the working directory", async () => {
    const dir = await useTempDir();
    await mkdir(join(dir, "work"));
    const before = process.cwd();
    process.chdir(join(dir, "work"));
    onTestFinished(() => process.chdir(before));
    await versions.addComponentVersion({
      repository: repo("../ctf.tar", { accessMode: "create", format: "tar" }),
      descriptor: descriptor("acme.org/a", "1.0.0"),
    });
    process.chdir(before);
    expect(await lister.listComponents({ repository: repo(join(dir, "ctf.tar")) })).toEqual({
      components: ["acme.org/a"],
    });
  });
});
