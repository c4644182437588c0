// blobTransformer for the `helmChart` resource type: a chart stored as a local blob in an OCI registry
// also becomes a Helm OCI artifact at `<target>/<chart name>:<version>`, as the Go tool's helm blob
// handler does; the host pushes the artifact set answered here and records it as the blob's globalAccess.
import { log, type BlobTransformer } from "../../sdk/index.js";
import { ARTIFACT_SET_MEDIA_TYPE, chartArtifactSet } from "./chart-artifact-set.js";
import { CHART_MEDIA_TYPE } from "./helm-input.js";
import { readChartMetadata } from "./read-chart.js";

// A chart is read whole: the host's response limit (16 MiB by default) bounds the answer anyway.
const MAX_CHART_BYTES = 8 * 1024 * 1024;

export const chartTransformer: BlobTransformer = {
  async transformBlob({ resource, mediaType, target }, content) {
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of content) {
      size += chunk.length;
      if (size <= MAX_CHART_BYTES) chunks.push(chunk);
    }
    // Only charts (not provenance files or other blobs of a helmChart resource), only into OCI registries.
    if (mediaType !== CHART_MEDIA_TYPE || size > MAX_CHART_BYTES || !/^oci/i.test(target.type)) {
      return { artifact: null };
    }
    const tgz = Buffer.concat(chunks);
    let chart;
    try {
      chart = readChartMetadata(tgz, `resource ${resource.name}`);
    } catch (error) {
      // Not a chart after all: it stays a local blob only, the transfer goes on.
      log.warn("helmChart resource is no chart; not pushed as a Helm OCI artifact", {
        resource: resource.name,
        error: (error as Error).message,
      });
      return { artifact: null };
    }
    const { tag, set } = chartArtifactSet(chart, tgz);
    return {
      artifact: {
        referenceName: `${chart.name}:${tag}`,
        mediaType: ARTIFACT_SET_MEDIA_TYPE,
        data: set.toString("base64"),
      },
    };
  },
};
