// A chart as `helm push` lays it out in an OCI registry, written as an OCI artifact set (the tar the
// `ociArtifact` resourceRepository pushes: index.json, oci-layout, blobs/sha256.<hex>): an OCI image
// manifest whose config (`application/vnd.cncf.helm.config.v1+json`) is Chart.yaml as JSON and whose one
// layer is the chart archive (`application/vnd.cncf.helm.chart.content.v1.tar+gzip`), tagged with the
// chart version (`+` → `_`, as helm does, since tags cannot hold `+`).
import { createHash } from "node:crypto";
import type { ChartMetadata } from "./chart-metadata.js";
import { writeTar } from "./chart-tar.js";
import { CHART_MEDIA_TYPE } from "./helm-input.js";

/** The config media type of a Helm chart in an OCI registry. */
export const HELM_CONFIG_MEDIA_TYPE = "application/vnd.cncf.helm.config.v1+json";
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
/** The media type of the artifact set (what the host pushes). */
export const ARTIFACT_SET_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+tar";

const digestOf = (bytes: Buffer) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
const blobPath = (digest: string) => `blobs/${digest.replace(":", ".")}`;

/** The artifact set of `chart` (metadata and its archive) and the tag it is pushed with. */
export function chartArtifactSet(chart: ChartMetadata, tgz: Buffer): { tag: string; set: Buffer } {
  const tag = chart.version.replaceAll("+", "_");
  const config = Buffer.from(JSON.stringify(chart.document), "utf8");
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: HELM_CONFIG_MEDIA_TYPE, digest: digestOf(config), size: config.length },
      layers: [{ mediaType: CHART_MEDIA_TYPE, digest: digestOf(tgz), size: tgz.length }],
    }),
    "utf8",
  );
  const main = digestOf(manifest);
  const index = JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [
      {
        mediaType: OCI_MANIFEST,
        digest: main,
        size: manifest.length,
        annotations: { "org.opencontainers.image.ref.name": tag, "software.ocm/tags": tag },
      },
    ],
    annotations: { "software.ocm/main": main },
  });
  const set = writeTar([
    { path: "index.json", bytes: Buffer.from(index, "utf8") },
    { path: "oci-layout", bytes: Buffer.from('{"imageLayoutVersion":"1.0.0"}', "utf8") },
    { path: blobPath(main), bytes: manifest },
    { path: blobPath(digestOf(config)), bytes: config },
    { path: blobPath(digestOf(tgz)), bytes: tgz },
  ]);
  return { tag, set };
}
