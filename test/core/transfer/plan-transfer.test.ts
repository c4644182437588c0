// The transfer planner without any repository: given what was read of the source and the target, it asks
// for what it lacks, one level at a time, and ends with the steps a transfer applies (issue #12).
import { describe, expect, it } from "vitest";
import type { TypedSpec, WireDescriptor } from "../../../core/index.js";
import { parseConcurrency } from "../../../core/transfer/parse-concurrency.js";
import {
  planTransfer,
  versionKey,
  type KnownVersion,
  type TransferPlanInput,
  type VersionStep,
} from "../../../core/transfer/plan-transfer.js";

const source: TypedSpec = { type: "acme.org/Store", path: "src" };
const lookup: TypedSpec = { type: "acme.org/Store", path: "elsewhere" };
const digest = (c: string) => `sha256:${c.repeat(64)}`;

function cv(
  name: string,
  version: string,
  parts: { blobs?: string[]; refs?: [string, string][]; external?: boolean; label?: string } = {},
): WireDescriptor {
  const resources = (parts.blobs ?? []).map((ref, i) => ({
    name: `r${i}`,
    version,
    type: "blob",
    relation: "local",
    access: { type: "localBlob", localReference: ref, mediaType: "text/plain" },
    digest: { hashAlgorithm: "SHA-256", normalisationAlgorithm: "genericBlobDigest/v1", value: ref.slice(7) },
  }));
  if (parts.external) {
    resources.push({
      name: "remote",
      version,
      type: "blob",
      relation: "external",
      access: { type: "acme.org/Http", url: "https://acme.org/x" } as never,
      digest: {
        hashAlgorithm: "SHA-256",
        normalisationAlgorithm: "genericBlobDigest/v1",
        value: "a".repeat(64),
      },
    });
  }
  return {
    meta: { schemaVersion: "v2" },
    component: {
      name,
      version,
      provider: { name: parts.label ?? "acme" },
      repositoryContexts: [],
      resources,
      sources: [],
      componentReferences: (parts.refs ?? []).map(([n, v]) => ({
        name: n.split("/")[1],
        componentName: n,
        version: v,
      })),
    },
  } as WireDescriptor;
}

function input(
  known: Map<string, KnownVersion>,
  options: Partial<TransferPlanInput> = {},
): TransferPlanInput {
  return {
    roots: [{ component: "acme.org/app", version: "1.0.0" }],
    known,
    targetName: "the target",
    recursive: false,
    copyResources: false,
    overwrite: false,
    stopOnExisting: false,
    enforce: false,
    ...options,
  };
}

const known = (...entries: [WireDescriptor, Partial<KnownVersion>?][]) =>
  new Map(
    entries.map(([descriptor, extra]) => [
      versionKey(descriptor.component.name, descriptor.component.version),
      { descriptor, source, ...extra },
    ]),
  );

/** Runs the planner as the transfer does: reading what it asks for from `world` until it is done. */
function planFrom(world: Map<string, KnownVersion>, options: Partial<TransferPlanInput> = {}) {
  const read = new Map<string, KnownVersion>();
  const rounds: string[][] = [];
  for (;;) {
    const result = planTransfer(input(read, options));
    if (result.done) return { steps: result.steps, rounds };
    rounds.push(
      result.needs.map((n) => `${versionKey(n.component, n.version)}${n.referrer ? ` ← ${n.referrer}` : ""}`),
    );
    for (const need of result.needs) {
      const key = versionKey(need.component, need.version);
      const found = world.get(key);
      if (found === undefined) throw new Error(`${key} is nowhere`);
      read.set(key, found);
    }
  }
}

const summary = (steps: VersionStep[]) =>
  steps.map(
    (s) =>
      `${s.action} ${s.component}:${s.version} [${s.blobs.map((b) => `${b.action} ${b.source.slice(7, 9) || b.source}`).join(", ")}]`,
  );

describe("planTransfer", () => {
  it("asks for the roots first, then one level of references at a time, and orders referenced versions first", () => {
    const world = known(
      [
        cv("acme.org/app", "1.0.0", {
          blobs: [digest("1")],
          refs: [
            ["acme.org/lib", "2.0.0"],
            ["acme.org/db", "3.0.0"],
          ],
        }),
      ],
      [cv("acme.org/lib", "2.0.0", { blobs: [digest("2")], refs: [["acme.org/base", "1.0.0"]] })],
      [
        cv("acme.org/db", "3.0.0", { refs: [["acme.org/base", "1.0.0"]] }),
        { source: lookup, from: "elsewhere" },
      ],
      [cv("acme.org/base", "1.0.0", { blobs: [digest("3")] })],
    );
    const { steps, rounds } = planFrom(world, { recursive: true });
    expect(rounds).toEqual([
      ["acme.org/app:1.0.0"],
      ["acme.org/lib:2.0.0 ← acme.org/app:1.0.0", "acme.org/db:3.0.0 ← acme.org/app:1.0.0"],
      ["acme.org/base:1.0.0 ← acme.org/lib:2.0.0"],
    ]);
    expect(summary(steps)).toEqual([
      "copy acme.org/base:1.0.0 [copy 33]",
      "copy acme.org/lib:2.0.0 [copy 22]",
      "copy acme.org/db:3.0.0 []",
      "copy acme.org/app:1.0.0 [copy 11]",
    ]);
    expect(steps[2]).toMatchObject({ source: lookup, from: "elsewhere" });
    expect(steps[3]).not.toHaveProperty("from");
    // Plain data: what --dry-run prints survives a round trip through JSON.
    expect(JSON.parse(JSON.stringify(steps))).toEqual(steps);
  });

  it("plans only the roots without recursive", () => {
    const world = known([cv("acme.org/app", "1.0.0", { refs: [["acme.org/lib", "2.0.0"]] })]);
    expect(summary(planFrom(world).steps)).toEqual(["copy acme.org/app:1.0.0 []"]);
  });

  it("skips what the target holds with the same content, and blobs its copy references already", () => {
    const app = cv("acme.org/app", "1.0.0", { blobs: [digest("1"), digest("2")] });
    const same = known([app, { existing: structuredClone(app) }]);
    expect(summary(planFrom(same).steps)).toEqual(["skip acme.org/app:1.0.0 [skip 11, skip 22]"]);

    const older = cv("acme.org/app", "1.0.0", { blobs: [digest("1")], label: "someone else" });
    const differs = known([app, { existing: older }]);
    expect(() => planFrom(differs)).toThrow(
      expect.objectContaining({
        code: "OCM_TRANSFER_TARGET_DIFFERS",
        message: "the target already holds acme.org/app:1.0.0 with a different descriptor",
      }),
    );
    expect(summary(planFrom(differs, { overwrite: true }).steps)).toEqual([
      "overwrite acme.org/app:1.0.0 [skip 11, copy 22]",
    ]);
    // --enforce: as if the target held nothing, so every blob is copied again.
    expect(summary(planFrom(same, { enforce: true }).steps)).toEqual([
      "overwrite acme.org/app:1.0.0 [copy 11, copy 22]",
    ]);
  });

  it("does not descend below a version the target holds with stopOnExisting", () => {
    const lib = cv("acme.org/lib", "2.0.0", { refs: [["acme.org/base", "1.0.0"]] });
    const world = known(
      [cv("acme.org/app", "1.0.0", { refs: [["acme.org/lib", "2.0.0"]] })],
      [lib, { existing: lib }],
    );
    const { steps, rounds } = planFrom(world, { recursive: true, stopOnExisting: true });
    expect(rounds).toHaveLength(2);
    expect(summary(steps)).toEqual(["skip acme.org/lib:2.0.0 []", "copy acme.org/app:1.0.0 []"]);
    expect(() => planFrom(world, { recursive: true })).toThrow("acme.org/base:1.0.0 is nowhere");
  });

  it("copies a local blob shared by several elements once, and external resources only by value", () => {
    const app = cv("acme.org/app", "1.0.0", { blobs: [digest("1"), digest("1")], external: true });
    (app.component.resources as { name: string; extraIdentity?: unknown }[])[1]!.extraIdentity = {
      os: "linux",
    };
    const [byReference] = planFrom(known([app])).steps;
    expect(byReference?.blobs).toEqual([
      {
        via: "localBlob",
        source: digest("1"),
        mediaType: "text/plain",
        slots: [
          { list: "resources", index: 0, label: "resource r0" },
          { list: "resources", index: 1, label: "resource r1" },
        ],
        action: "copy",
      },
    ]);
    const [byValue] = planFrom(known([app]), { copyResources: true }).steps;
    expect(byValue?.blobs[1]).toEqual({
      via: "resource",
      source: "acme.org/Http",
      slots: [{ list: "resources", index: 2, label: "resource remote" }],
      action: "copy",
    });
  });

  it("refuses a descriptor two of whose resources share an identity", () => {
    const app = cv("acme.org/app", "1.0.0", { blobs: [digest("1"), digest("2")] });
    (app.component.resources as { name: string }[])[1]!.name = "r0";
    expect(() => planFrom(known([app]))).toThrow(expect.objectContaining({ code: "OCM_DESCRIPTOR_INVALID" }));
  });
});

describe("parseConcurrency", () => {
  it("defaults to 4 and takes a positive integer as a number or as text", () => {
    expect(parseConcurrency(undefined)).toBe(4);
    expect(parseConcurrency(8)).toBe(8);
    expect(parseConcurrency("2")).toBe(2);
  });

  it("refuses anything else, showing the value", () => {
    for (const bad of [0, -1, 1.5, "0", "x", ""]) {
      expect(() => parseConcurrency(bad)).toThrow(
        expect.objectContaining({
          code: "OCM_USAGE_INVALID",
          message: `--concurrency ${JSON.stringify(bad)} is not a positive integer`,
        }),
      );
    }
  });
});
