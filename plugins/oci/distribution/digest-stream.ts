// The sha256 digest of bytes held in memory (manifests, configs); streams use the SDK's digest meter.
import { createHash } from "node:crypto";

/** The sha256 digest of bytes. */
export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}
