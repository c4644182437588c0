// A component version as an OCI manifest in the registry, the same bytes as in a CTF (notes/ocm-formats.md
// §2.1): config blob pointing at the descriptor layer, then one layer per local blob; compact JSON with Go's
// field order and escapes. Reading follows an OCI index (the V2 form) to its first manifest.
import { escapeGoJson, type ComponentDescriptor } from "../../core/index.js";
import {
  buildDescriptorLayer,
  DESCRIPTOR_LAYER_MEDIA_TYPE,
  isDescriptorLayerType,
  readDescriptorLayer,
} from "../../sdk/oci-layout/index.js";
import { getBlobBytes } from "./distribution/blobs.js";
import { getManifest } from "./distribution/manifests.js";
import {
  isIndexType,
  OCI_MANIFEST,
  parseManifest,
  type Descriptor,
  type ManifestDocument,
} from "./distribution/media-types.js";
import type { RegistryClient } from "./distribution/registry-client.js";
import { sha256Digest } from "./distribution/digest-stream.js";
import { requestFailedError } from "./oci-errors.js";

const CONFIG_MEDIA_TYPE = "application/vnd.ocm.software.component.config.v1+json";
const CREATOR = "ocm-ts OCI plugin";

const goJson = (value: unknown) => new TextEncoder().encode(escapeGoJson(JSON.stringify(value)));

/** A blob to push before the manifest, with its bytes. */
export interface SmallBlob {
  descriptor: Descriptor;
  bytes: Uint8Array;
}

/** The descriptor layer, config and manifest bytes of `cd`, given the layers of its local blobs. */
export function buildComponentManifest(
  cd: ComponentDescriptor,
  localLayers: Descriptor[],
): { layer: SmallBlob; config: SmallBlob; manifest: Uint8Array } {
  const layerBytes = buildDescriptorLayer(cd);
  const layer = {
    mediaType: DESCRIPTOR_LAYER_MEDIA_TYPE,
    digest: sha256Digest(layerBytes),
    size: layerBytes.length,
  };
  const configBytes = goJson({ componentDescriptorLayer: layer });
  const config = {
    mediaType: CONFIG_MEDIA_TYPE,
    digest: sha256Digest(configBytes),
    size: configBytes.length,
  };
  const manifest = goJson({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config,
    layers: [layer, ...localLayers],
    annotations: {
      "software.ocm.componentversion": `${cd.component.name}:${cd.component.version}`,
      "software.ocm.creator": CREATOR,
    },
  });
  return {
    layer: { descriptor: layer, bytes: layerBytes },
    config: { descriptor: config, bytes: configBytes },
    manifest,
  };
}

/** The manifest of a component version by tag or digest; an index leads to its first manifest. */
export async function readComponentManifest(
  client: RegistryClient,
  repository: string,
  reference: string,
): Promise<ManifestDocument> {
  const stored = await getManifest(client, repository, reference);
  const doc = parseManifest(stored.bytes, stored.mediaType);
  if (!isIndexType(doc.mediaType)) return doc;
  const first = doc.manifests?.[0]?.digest;
  if (first === undefined) {
    throw requestFailedError(
      "GET",
      `${client.registry.origin}/v2/${repository}/manifests/${reference}`,
      "component index lists no manifest",
    );
  }
  const inner = await getManifest(client, repository, first);
  return parseManifest(inner.bytes, inner.mediaType);
}

/** Reads the descriptor of a component version manifest. */
export async function readComponentDescriptor(
  client: RegistryClient,
  repository: string,
  manifest: ManifestDocument,
  where: string,
): Promise<ComponentDescriptor> {
  const layer = (manifest.layers ?? []).find((l) => isDescriptorLayerType(l.mediaType));
  if (layer === undefined) {
    throw requestFailedError("GET", where, "component version manifest has no component descriptor layer");
  }
  const bytes = await getBlobBytes(client, repository, layer.digest);
  return readDescriptorLayer(bytes, layer.mediaType, `${where} ${layer.digest}`);
}
