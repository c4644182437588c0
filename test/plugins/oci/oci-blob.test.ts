import { describe, expect, it } from "vitest";
import { bytes, collect, ociBlobs, sha256, useRegistry } from "./helpers.js";

const registry = useRegistry();

describe("ociBlob resources", () => {
  it("pushes a blob to the access's ref and reads it back by digest", async () => {
    const data = "a single layer";
    const ref = `${registry().host}/acme/blobs`;
    const resource = {
      name: "layer",
      version: "1.0.0",
      type: "blob",
      relation: "external",
      access: { type: "ociBlob", ref },
    };
    const added = await ociBlobs.addResource({ resource, mediaType: "text/plain" }, bytes(data));
    const digest = `sha256:${sha256(data)}`;
    expect(added.resource.access).toEqual({
      type: "ociBlob",
      ref,
      digest,
      size: data.length,
      mediaType: "text/plain",
    });
    expect(added.resource["digest"]).toMatchObject({
      normalisationAlgorithm: "genericBlobDigest/v1",
      value: digest.slice(7),
    });

    const blob = await ociBlobs.getResource({ resource: added.resource });
    expect(blob).toMatchObject({ mediaType: "text/plain", digest, size: data.length });
    expect((await collect(blob.content)).toString()).toBe(data);
  });

  it("reports a blob the repository does not hold as OCM_REPOSITORY_NOT_FOUND", async () => {
    const access = {
      type: "ociBlob",
      ref: `${registry().host}/acme/blobs`,
      digest: `sha256:${sha256("absent")}`,
    };
    await expect(
      ociBlobs.getResource({ resource: { name: "layer", type: "blob", access } }),
    ).rejects.toMatchObject({ code: "OCM_REPOSITORY_NOT_FOUND" });
  });

  it("rejects an access without ref as OCM_OCI_REFERENCE_INVALID", async () => {
    await expect(
      ociBlobs.getResource({ resource: { name: "layer", type: "blob", access: { type: "ociBlob" } } }),
    ).rejects.toMatchObject({ code: "OCM_OCI_REFERENCE_INVALID" });
  });
});
