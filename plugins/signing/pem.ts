// PEM text in and out: keys, certificates and signatures all travel as PEM strings (RFC 7468).
import { Buffer } from "node:buffer";

/** One PEM block: its label, its headers (RFC 1421 style, as Go's encoding/pem writes them) and its bytes. */
export interface PemBlock {
  label: string;
  headers: Record<string, string>;
  bytes: Buffer;
  /** The block's own text, from BEGIN to END. */
  text: string;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

/** Every PEM block of `text`, in order. Text between blocks is ignored, as Go's pem.Decode does. */
export function parsePemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(BLOCK)) {
    const [whole, label = "", body = ""] = match;
    const headers: Record<string, string> = {};
    let payload = body;
    const split = /\r?\n\r?\n/.exec(body);
    if (split && body.slice(0, split.index).includes(":")) {
      for (const line of body.slice(0, split.index).split(/\r?\n/)) {
        const colon = line.indexOf(":");
        if (colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
      }
      payload = body.slice(split.index + split[0].length);
    }
    blocks.push({ label, headers, bytes: Buffer.from(payload.replace(/\s+/g, ""), "base64"), text: whole });
  }
  return blocks;
}

/** Encodes bytes as one PEM block with 64-column base64 lines, headers first (Go's pem.EncodeToMemory). */
export function encodePemBlock(
  label: string,
  bytes: Uint8Array,
  headers: Record<string, string> = {},
): string {
  const lines =
    Buffer.from(bytes)
      .toString("base64")
      .match(/.{1,64}/g) ?? [];
  const head = Object.entries(headers).map(([key, value]) => `${key}: ${value}\n`);
  return [
    `-----BEGIN ${label}-----\n`,
    ...head,
    head.length > 0 ? "\n" : "",
    ...lines.map((line) => `${line}\n`),
    `-----END ${label}-----\n`,
  ].join("");
}
