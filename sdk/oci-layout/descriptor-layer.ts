// The descriptor layer of a component version manifest. Written as OCM Go V1 writes it, a tar holding only
// `component-descriptor.yaml` (mode 0, uid/gid 0, mtime 2022-01-01, USTAR, no record padding), so the
// layer digest is the one the Go tool computes; read in the yaml+tar, yaml and json forms, new and legacy.
// Shared by every plugin that stores component versions in the OCI layout (CTF, OCI registries).
import { OcmError } from "../../core/errors.js";
import { parseDescriptor } from "../../core/model/parse-descriptor.js";
import type { ComponentDescriptor } from "../../core/model/schema-v2.js";
import { serializeDescriptorYaml } from "../../core/model/serialize-descriptor.js";

function invalidError(where: string, message: string): OcmError {
  return new OcmError({
    code: "OCM_REPOSITORY_INVALID",
    message: `${where}: ${message}`,
    hint: "The component version's descriptor layer is malformed; write the component version again.",
    details: { where },
  });
}

/** Media type of the descriptor layer this plugin writes. */
export const DESCRIPTOR_LAYER_MEDIA_TYPE = "application/vnd.ocm.software.component-descriptor.v2+yaml+tar";

const TAR_LAYER_TYPES = new Set([
  DESCRIPTOR_LAYER_MEDIA_TYPE,
  "application/vnd.gardener.cloud.cnudie.component-descriptor.v2+yaml+tar",
  "application/vnd.oci.gardener.cloud.cnudie.component-descriptor.config.v2+yaml+tar",
]);
const TEXT_LAYER_TYPES = new Set([
  "application/vnd.ocm.software.component-descriptor.v2+json",
  "application/vnd.ocm.software.component-descriptor.v2+yaml",
  "application/vnd.gardener.cloud.cnudie.component-descriptor.v2+json",
  "application/vnd.gardener.cloud.cnudie.component-descriptor.v2+yaml",
]);

/** True for every media type a descriptor layer may have. */
export function isDescriptorLayerType(mediaType: string): boolean {
  return TAR_LAYER_TYPES.has(mediaType) || TEXT_LAYER_TYPES.has(mediaType);
}

const FILE_NAME = "component-descriptor.yaml";
// 2022-01-01T00:00:00Z, the fixed mtime of V1 api/utils/accessobj/format.go.
const MTIME = 1640995200;
const BLOCK = 512;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

/** One USTAR header as Go's archive/tar writes it for a regular file with mode 0. */
function tarHeader(name: string, size: number): Uint8Array {
  const header = new Uint8Array(BLOCK);
  const put = (offset: number, text: string) => header.set(new TextEncoder().encode(text), offset);
  put(0, name);
  put(100, octal(0, 8));
  put(108, octal(0, 8));
  put(116, octal(0, 8));
  put(124, octal(size, 12));
  put(136, octal(MTIME, 12));
  put(148, "        ");
  put(156, "0");
  put(257, "ustar\0");
  put(263, "00");
  put(329, octal(0, 8));
  put(337, octal(0, 8));
  const sum = header.reduce((a, b) => a + b, 0);
  put(148, sum.toString(8).padStart(6, "0") + "\0 ");
  return header;
}

/** The descriptor as the yaml+tar layer the Go tool writes, byte for byte. */
export function buildDescriptorLayer(cd: ComponentDescriptor): Uint8Array {
  const yaml = new TextEncoder().encode(serializeDescriptorYaml(cd));
  const padded = Math.ceil(yaml.length / BLOCK) * BLOCK;
  const layer = new Uint8Array(BLOCK + padded + 2 * BLOCK);
  layer.set(tarHeader(FILE_NAME, yaml.length), 0);
  layer.set(yaml, BLOCK);
  return layer;
}

function readField(bytes: Uint8Array, offset: number, length: number): string {
  const field = bytes.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return new TextDecoder().decode(end < 0 ? field : field.subarray(0, end));
}

/** The content of `component-descriptor.yaml` in a descriptor tar. */
function untarDescriptor(layer: Uint8Array, where: string): Uint8Array {
  let offset = 0;
  while (offset + BLOCK <= layer.length && layer[offset] !== 0) {
    const name = readField(layer, offset, 100).replace(/^\.\//, "");
    const size = Number.parseInt(readField(layer, offset + 124, 12).trim() || "0", 8);
    const type = readField(layer, offset + 156, 1);
    const start = offset + BLOCK;
    if (name === FILE_NAME && (type === "0" || type === "")) return layer.subarray(start, start + size);
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  throw invalidError(where, `descriptor layer holds no ${FILE_NAME}`);
}

/** Parses a descriptor layer of any supported media type. */
export function readDescriptorLayer(
  layer: Uint8Array,
  mediaType: string,
  where: string,
): ComponentDescriptor {
  if (TAR_LAYER_TYPES.has(mediaType)) {
    return parseDescriptor(untarDescriptor(layer, where), { source: `${where} (${FILE_NAME})` });
  }
  if (TEXT_LAYER_TYPES.has(mediaType)) return parseDescriptor(layer, { source: where });
  throw invalidError(where, `unsupported descriptor layer media type ${JSON.stringify(mediaType)}`);
}
