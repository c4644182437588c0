// The OCI plugin: component versions in OCI registries (OCIRegistry/v1), and resources held in registries
// as OCI artifacts (ociArtifact / OCIImage/v1) or single blobs (ociBlob / OCIImageLayer/v1).
import type { PluginDefinition } from "../../core/index.js";
import { ARTIFACT_SET_MEDIA_TYPES } from "../../sdk/oci-layout/index.js";
import { ociArtifactDigests } from "./artifact-digests.js";
import { ociBlobPlacement } from "./blob-placement.js";
import { ociBlobResources } from "./blob-resources.js";
import { ociComponentLister } from "./component-lister.js";
import { ociComponentVersions } from "./component-versions.js";
import { ociConsumerIdentity } from "./consumer-identity.js";
import { ociImageResources } from "./image-resources.js";
import { ociLocalBlobResources } from "./local-blob-resources.js";
import { ociActions } from "./prepare-repository.js";
import { ociReferenceSyntax } from "./reference-syntax.js";
import { OCI_TYPE, OCI_TYPE_ALIASES, ociSpecJsonSchema } from "./repository-spec.js";
import { testOciConnection } from "./test-connection.js";
import { logRequestSummary } from "./distribution/request-log.js";

/** Serves OCI registries: component versions, component lists, and localBlob, ociArtifact and ociBlob resources. */
export const ociPlugin: PluginDefinition = {
  name: "oci",
  version: "0.1.0",
  description: "OCI registries: component versions, OCI artifacts and blobs (distribution spec)",
  types: {
    [OCI_TYPE]: {
      aliases: OCI_TYPE_ALIASES,
      schema: ociSpecJsonSchema,
      reference: ociReferenceSyntax,
      capabilities: {
        componentVersionRepository: ociComponentVersions,
        componentLister: ociComponentLister,
        resourceRepository: ociLocalBlobResources,
        consumerIdentity: ociConsumerIdentity,
        // As a transfer's target: artifact sets are pushed as images, not kept as local blobs.
        blobTransformer: ociBlobPlacement,
        action: ociActions.runner,
      },
      actions: ociActions.declarations,
    },
    "OCIImage/v1": {
      aliases: [
        "ociArtifact",
        "ociArtifact/v1",
        "ociRegistry",
        "ociRegistry/v1",
        "ociImage",
        "ociImage/v1",
        "OCIImage",
      ],
      capabilities: {
        resourceRepository: ociImageResources,
        consumerIdentity: ociConsumerIdentity,
        digestProcessor: ociArtifactDigests,
      },
    },
    "OCIImageLayer/v1": {
      aliases: ["ociBlob", "ociBlob/v1", "OCIImageLayer"],
      capabilities: { resourceRepository: ociBlobResources, consumerIdentity: ociConsumerIdentity },
    },
    // Local blobs holding an OCI artifact are digested as the artifact (ociArtifactDigest/v1).
    ...Object.fromEntries(
      ARTIFACT_SET_MEDIA_TYPES.map((mediaType) => [
        mediaType,
        { capabilities: { digestProcessor: ociArtifactDigests } },
      ]),
    ),
  },
  testConnection: testOciConnection,
  // How many registry requests this run made, at debug level (see request-log.ts).
  close: logRequestSummary,
};
