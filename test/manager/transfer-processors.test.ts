// The processing chain of a transfer (issue 13 item 2), through the library with real in-process plugins:
// blob replacements handed from one processor to the next, a processor failing a version, a processor
// answering for another version, a config refused in init, and `--processor` flags that do not parse.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  builtinPlugins,
  createPluginManager,
  parseProcessorFlag,
  transferWithProcessors,
  type PluginDefinition,
  type TypedSpec,
} from "../../index.js";
import { createProcessor } from "../../sdk/index.js";
import { bytes, collect, descriptor, sha256 } from "../helpers/component-versions.js";
import { useTempDir } from "../helpers/temp-dir.js";

const COMPONENT = "acme.org/chain";

interface AppendConfig {
  suffix?: string;
  fail?: string;
  rename?: string;
}

/** Append/v1: appends `suffix` to every resource's bytes; or fails, or renames the component, as told. */
const appendPlugin: PluginDefinition = {
  name: "append",
  types: {
    "Append/v1": {
      capabilities: {
        processor: createProcessor<AppendConfig>({
          process: ({ descriptor: cd }, config) => {
            if (config.fail) return { fail: { reason: config.fail } };
            if (config.rename)
              return { descriptor: { ...cd, component: { ...cd.component, name: config.rename } } };
            const resources = (cd.component["resources"] ?? []) as { name: string }[];
            return { replaceBlobs: resources.map((r) => ({ name: r.name })) };
          },
          transformBlob: ({ content, config }) => ({
            content: (async function* () {
              yield* content;
              yield Buffer.from(config.suffix ?? "");
            })(),
          }),
        }),
      },
    },
  },
};

async function setup() {
  const dir = await useTempDir();
  const manager = createPluginManager({
    home: dir,
    cacheFile: false,
    handleSignals: false,
    env: { OCM_PLUGIN_DIR: "" },
    builtins: [...builtinPlugins(), appendPlugin],
  });
  const source: TypedSpec = {
    type: "CommonTransportFormat/v1",
    filePath: join(dir, "source"),
    accessMode: "create",
  };
  const repo = await manager.getPlugin(source.type, "componentVersionRepository");
  const ref = { repository: source, component: COMPONENT, version: "1.0.0" };
  const blob = await repo.addLocalBlob({ ...ref, mediaType: "text/plain" }, bytes("abc\n"));
  await repo.addComponentVersion({
    repository: source,
    descriptor: descriptor(COMPONENT, "1.0.0", [
      {
        name: "notes",
        version: "1.0.0",
        type: "plainText",
        relation: "local",
        digest: {
          hashAlgorithm: "SHA-256",
          normalisationAlgorithm: "genericBlobDigest/v1",
          value: sha256("abc\n"),
        },
        access: { type: "localBlob", localReference: blob.localReference, mediaType: "text/plain" },
      },
    ]),
  });
  const target: TypedSpec = {
    type: "CommonTransportFormat/v1",
    filePath: join(dir, "target"),
    accessMode: "create",
  };
  const read = async () => {
    const targetRepo = await manager.getPlugin(target.type, "componentVersionRepository");
    return targetRepo.getComponentVersion({ repository: target, component: COMPONENT, version: "1.0.0" });
  };
  return { manager, source: { type: source.type, filePath: source["filePath"] }, target, read, dir };
}

describe("transfer with a processing chain", () => {
  it("hands a replaced blob to the next processor, which replaces it again; the target gets the last bytes", async () => {
    const { manager, source, target, read } = await setup();
    try {
      await transferWithProcessors(manager, {
        source,
        target,
        processors: [
          { type: "Append/v1", config: { suffix: "-one" } },
          { type: "Append/v1", config: { suffix: "-two" } },
        ],
      });
      const { descriptor: cd } = await read();
      const notes = (cd.component["resources"] as Record<string, unknown>[])[0] as {
        digest: { value: string };
        access: { type: string; localReference: string; mediaType: string };
      };
      expect(notes.digest.value).toBe(sha256("abc\n-one-two"));
      const repo = await manager.getPlugin(target.type, "componentVersionRepository");
      const blob = await repo.getLocalBlob({
        repository: target,
        component: COMPONENT,
        version: "1.0.0",
        localReference: notes.access.localReference,
      });
      expect((await collect(blob.content)).toString()).toBe("abc\n-one-two");
    } finally {
      await manager.close();
    }
  });

  it("stops with the processor's reason when it fails a version, and writes nothing", async () => {
    const { manager, source, target, read } = await setup();
    try {
      const failing = transferWithProcessors(manager, {
        source,
        target,
        processors: [{ type: "labels" }, { type: "Append/v1", config: { fail: "no notes wanted here" } }],
      });
      await expect(failing).rejects.toMatchObject({
        code: "OCM_PROCESSOR_FAILED",
        message: `Append/v1 (processor 2 of 2) failed ${COMPONENT}:1.0.0: no notes wanted here`,
      });
      await expect(read()).rejects.toMatchObject({ code: expect.stringMatching(/NOT_FOUND/) });
    } finally {
      await manager.close();
    }
  });

  it("refuses an answer for another component version", async () => {
    const { manager, source, target } = await setup();
    try {
      await expect(
        transferWithProcessors(manager, {
          source,
          target,
          processors: [{ type: "Append/v1", config: { rename: "acme.org/other" } }],
        }),
      ).rejects.toMatchObject({
        code: "OCM_PROCESSOR_BAD_ANSWER",
        message: expect.stringContaining("acme.org/other:1.0.0"),
      });
    } finally {
      await manager.close();
    }
  });

  it("refuses a config in init, naming the field, before anything is read", async () => {
    const { manager, source, target } = await setup();
    try {
      await expect(
        transferWithProcessors(manager, {
          source,
          target,
          processors: [{ type: "filter", config: { types: "ociImage" } }],
        }),
      ).rejects.toMatchObject({
        code: "OCM_PROCESSOR_CONFIG_INVALID",
        message: 'ResourceFilter/v1 config: field types: "ociImage" is not a list of non-empty strings',
      });
    } finally {
      await manager.close();
    }
  });

  it("parses --processor <type>[=<json-config>] and names what does not parse", () => {
    expect(parseProcessorFlag("labels")).toEqual({ type: "labels" });
    expect(parseProcessorFlag('filter={"names":["a=b"]}')).toEqual({
      type: "filter",
      config: { names: ["a=b"] },
    });
    expect(() => parseProcessorFlag("filter={names}")).toThrow(
      /--processor filter: config "\{names\}" is not JSON/,
    );
    expect(() => parseProcessorFlag("={}")).toThrow(/names no processor type/);
  });
});
