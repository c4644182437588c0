// The one digest-and-count meter (#12 item 6): bytes streamed through it arrive unchanged, and its digest
// and size are those of all of them, however they were chunked.
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createDigestMeter } from "../../core/digest-meter.js";

async function collect(source: AsyncIterable<Uint8Array>): Promise<string> {
  let text = "";
  for await (const chunk of source) text += Buffer.from(chunk).toString("utf8");
  return text;
}

describe("the digest meter", () => {
  it("passes a stream through unchanged and names its sha256 and size", async () => {
    const meter = createDigestMeter();
    const passed = await collect(meter.pass(Readable.from([Buffer.from("a"), Buffer.from("bc")])));
    expect(passed).toBe("abc");
    expect(meter.size).toBe(3);
    // FIPS 180-2, appendix B.1: SHA-256("abc").
    expect(meter.digest()).toBe("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(meter.hex()).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("counts chunks fed by hand with another algorithm", () => {
    const meter = createDigestMeter("sha512");
    meter.update(new TextEncoder().encode("ab"));
    meter.update(new TextEncoder().encode("c"));
    expect(meter.size).toBe(3);
    expect(meter.digest()).toMatch(/^sha512:ddaf35a193617aba/);
  });
});
