// A component version as an OCI manifest inside the CTF (notes/ocm-formats.md §2.1): config blob pointing at
// the descriptor layer, then one layer per local blob. JSON is compact with Go's field order and escapes.
import { escapeGoJson, type ComponentDescriptor } from "../../core/index.js";
import { writeBlobBytes } from "./blob-store.js";
import type { CtfReader } from "./ctf-reader.js";
import { invalidError } from "./ctf-errors.js";
import {
  buildDescriptorLayer,
  DESCRIPTOR_LAYER_MEDIA_TYPE,
  isDescriptorLayerType,
  readDescriptorLayer,
} from "../../sdk/oci-layout/index.js";
import { localBlobLayers, type OciDescriptor } from "./local-blob-layers.js";
import type { WriteRoot } from "./write-root.js";

/** Media type of the manifests this plugin writes. */
export const MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
const INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";
const CONFIG_MEDIA_TYPE = "application/vnd.ocm.software.component.config.v1+json";
const CREATOR = "ocm-ts CTF plugin";

const goJson = (value: unknown) => new TextEncoder().encode(escapeGoJson(JSON.stringify(value)));

const descriptorOf = (d: OciDescriptor): OciDescriptor => ({
  mediaType: d.mediaType,
  digest: d.digest,
  size: d.size,
  ...(d.annotations ? { annotations: d.annotations } : {}),
});

/**
 * Stores the descriptor layer, config and manifest blobs of `cd` (its local blobs must be stored already)
 * and returns the manifest's descriptor, ready for the artifact index.
 */
export async function writeComponentManifest(
  root: WriteRoot,
  where: string,
  cd: ComponentDescriptor,
): Promise<OciDescriptor> {
  const blobs = await localBlobLayers(root, where, cd);
  const layer = await writeBlobBytes(root, buildDescriptorLayer(cd));
  const layerDescriptor = { mediaType: DESCRIPTOR_LAYER_MEDIA_TYPE, digest: layer.digest, size: layer.size };
  const config = await writeBlobBytes(root, goJson({ componentDescriptorLayer: layerDescriptor }));
  const manifest = goJson({
    schemaVersion: 2,
    mediaType: MANIFEST_MEDIA_TYPE,
    config: { mediaType: CONFIG_MEDIA_TYPE, digest: config.digest, size: config.size },
    layers: [layerDescriptor, ...blobs.map(descriptorOf)],
    annotations: {
      "software.ocm.componentversion": `${cd.component.name}:${cd.component.version}`,
      "software.ocm.creator": CREATOR,
    },
  });
  const stored = await writeBlobBytes(root, manifest);
  return { mediaType: MANIFEST_MEDIA_TYPE, digest: stored.digest, size: stored.size };
}

interface RawManifest {
  mediaType?: string;
  config?: { mediaType?: string; digest?: string };
  layers?: { mediaType?: string; digest?: string; size?: number }[];
  manifests?: { digest?: string }[];
}

async function readJsonBlob(reader: CtfReader, where: string, digest: string): Promise<RawManifest> {
  const bytes = await reader.readBlob(digest);
  try {
    return JSON.parse(bytes.toString("utf8")) as RawManifest;
  } catch (error) {
    throw invalidError(where, `blob ${digest} is not JSON`, error);
  }
}

/** The manifest of a component version; an OCI index (the V2 form) leads to its first manifest. */
export async function readComponentManifest(
  reader: CtfReader,
  where: string,
  digest: string,
): Promise<RawManifest> {
  const manifest = await readJsonBlob(reader, where, digest);
  if (manifest.mediaType === INDEX_MEDIA_TYPE || (manifest.manifests && !manifest.layers)) {
    const first = manifest.manifests?.[0]?.digest;
    if (first === undefined) throw invalidError(where, `component index ${digest} lists no manifest`);
    return readJsonBlob(reader, where, first);
  }
  return manifest;
}

/** Reads the descriptor of the component version whose manifest has `digest`. */
export async function readComponentDescriptor(
  reader: CtfReader,
  where: string,
  digest: string,
): Promise<ComponentDescriptor> {
  const manifest = await readComponentManifest(reader, where, digest);
  const layer = (manifest.layers ?? []).find((l) => isDescriptorLayerType(l.mediaType ?? ""));
  if (layer?.digest === undefined || layer.mediaType === undefined) {
    throw invalidError(where, `manifest ${digest} has no component descriptor layer`);
  }
  const bytes = await reader.readBlob(layer.digest);
  return readDescriptorLayer(bytes, layer.mediaType, `${where} ${layer.digest}`);
}

/** The layers of a component version manifest (descriptor layer included); `size` only when it is given. */
export async function manifestLayers(
  reader: CtfReader,
  where: string,
  digest: string,
): Promise<(Omit<OciDescriptor, "size"> & { size?: number })[]> {
  const manifest = await readComponentManifest(reader, where, digest);
  return (manifest.layers ?? []).flatMap((l) =>
    l.digest && l.mediaType
      ? [
          {
            mediaType: l.mediaType,
            digest: l.digest,
            ...(typeof l.size === "number" ? { size: l.size } : {}),
          },
        ]
      : [],
  );
}

/** Every blob digest the component version with manifest `digest` uses: manifests, config and layers. */
export async function manifestBlobs(reader: CtfReader, where: string, digest: string): Promise<string[]> {
  const manifest = await readJsonBlob(reader, where, digest);
  const nested = (manifest.manifests ?? []).flatMap((m) => (m.digest ? [m.digest] : []));
  const inner = await Promise.all(nested.map((d) => manifestBlobs(reader, where, d)));
  return [
    digest,
    ...(manifest.config?.digest ? [manifest.config.digest] : []),
    ...(manifest.layers ?? []).flatMap((l) => (l.digest ? [l.digest] : [])),
    ...inner.flat(),
  ];
}
