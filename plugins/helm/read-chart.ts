// Reads the Chart.yaml out of a chart tgz (an existing one given to the helm input, or one downloaded), so
// that a file that is not a chart is refused and the chart's name and version are known.
import { gunzipSync } from "node:zlib";
import { OcmError } from "../../sdk/index.js";
import { parseChartMetadata, type ChartMetadata } from "./chart-metadata.js";

const BLOCK = 512;

function notAChart(where: string, why: string, cause?: unknown): OcmError {
  return new OcmError({
    code: "OCM_INPUT_INVALID",
    message: `helm chart ${where}: ${why}`,
    hint: "Give a chart directory, or a chart archive as `helm package` writes it (a tgz holding <name>/Chart.yaml).",
    ...(cause === undefined ? {} : { cause }),
  });
}

const text = (block: Buffer, offset: number, length: number) => {
  const end = block.indexOf(0, offset);
  return block.toString("utf8", offset, end === -1 || end > offset + length ? offset + length : end);
};

/** The metadata of the chart in `tgz`: the `<dir>/Chart.yaml` at the top of the archive. */
export function readChartMetadata(tgz: Buffer, where: string): ChartMetadata {
  let tar: Buffer;
  try {
    tar = gunzipSync(tgz);
  } catch (error) {
    throw notAChart(where, "is not gzip-compressed", error);
  }
  let longName: string | undefined;
  for (let at = 0; at + BLOCK <= tar.length;) {
    const block = tar.subarray(at, at + BLOCK);
    if (block.every((b) => b === 0)) break;
    const size = Number.parseInt(text(block, 124, 12).trim() || "0", 8);
    const type = text(block, 156, 1);
    const body = tar.subarray(at + BLOCK, at + BLOCK + size);
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (Number.isNaN(size) || body.length < size) break;
    if (type === "x") {
      longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString("utf8"))?.[1];
      continue;
    }
    if (type === "L") {
      longName = text(body, 0, body.length);
      continue;
    }
    const prefix = text(block, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${text(block, 0, 100)}` : text(block, 0, 100));
    longName = undefined;
    if ((type === "0" || type === "") && /^[^/]+\/Chart\.yaml$/.test(name.replace(/^\.\//, ""))) {
      return parseChartMetadata(body.toString("utf8"), `${where}:${name}`);
    }
  }
  throw notAChart(where, "holds no <chart-name>/Chart.yaml entry");
}
