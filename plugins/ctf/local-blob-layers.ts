// The local blobs of a descriptor as manifest layers of a CTF: the SDK's OCI layout groups them, the CTF
// adds the size of each stored blob.
import { OcmError, type ComponentDescriptor } from "../../core/index.js";
import { localBlobGroups, localReferenceDigest, type OciDescriptor } from "../../sdk/oci-layout/index.js";
import type { WriteRoot } from "./write-root.js";

export { localReferenceDigest, type OciDescriptor };

/**
 * One layer per distinct local blob of the descriptor, in element order (resources, then sources). Throws
 * OCM_REPOSITORY_NOT_FOUND when a referenced blob was not added first.
 */
export async function localBlobLayers(
  root: WriteRoot,
  where: string,
  cd: ComponentDescriptor,
): Promise<OciDescriptor[]> {
  const result: OciDescriptor[] = [];
  for (const layer of localBlobGroups(`CTF ${where}`, cd)) {
    const digest = layer.digest;
    const size = await root.blobSize(digest);
    if (size === undefined) {
      throw new OcmError({
        code: "OCM_REPOSITORY_NOT_FOUND",
        message: `CTF ${where}: local blob ${digest} referenced by ${cd.component.name}:${cd.component.version} is not stored`,
        hint: "Add every local blob with addLocalBlob before adding the component version that references it.",
        details: { path: where, digest },
      });
    }
    result.push({ mediaType: layer.mediaType, digest, size, annotations: layer.annotations });
  }
  return result;
}
