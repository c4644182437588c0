// The `helm` input (Go type `helm`): `path` to a chart directory, packaged deterministically, or to an
// existing chart archive, taken as is after checking it holds a chart. `version`, when given, must be the
// chart's version; `repository` is accepted for compatibility with the Go tool and not used.
import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { OcmError, type Blob, type InputRepository } from "../../sdk/index.js";
import { packageChart } from "./package-chart.js";
import { readChartMetadata } from "./read-chart.js";

/** The media type of a packaged chart (helm's OCI layer media type; the Go tool uses it for the input). */
export const CHART_MEDIA_TYPE = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";

function stringField(input: Record<string, unknown>, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") {
    throw new OcmError({
      code: "OCM_INPUT_INVALID",
      message: `field input.${name}: must be a string, got ${JSON.stringify(value)}`,
      hint: "A helm input is {type: helm, path: <chart dir or .tgz>, version?} (docs/helm.md).",
    });
  }
  return value;
}

export const helmInput: InputRepository = {
  async processInput({ input, baseDir }): Promise<Blob> {
    const relative = stringField(input, "path");
    if (relative === undefined) {
      throw new OcmError({
        code: "OCM_INPUT_INVALID",
        message: "field input.path: a helm input needs `path` (a chart directory or a chart .tgz)",
        hint: "A helm input is {type: helm, path: <chart dir or .tgz>, version?} (docs/helm.md).",
      });
    }
    const path = resolve(baseDir, relative);
    const info = await stat(path).catch((error: unknown) => {
      throw new OcmError({
        code: "OCM_INPUT_NOT_FOUND",
        message: `helm input: ${path} does not exist`,
        hint: "Correct input.path; a relative path is resolved against the constructor's directory.",
        cause: error,
      });
    });
    const packaged = info.isDirectory()
      ? await packageChart(path)
      : await readFile(path).then((tgz) => ({ tgz, chart: readChartMetadata(tgz, path) }));
    const version = stringField(input, "version");
    if (version !== undefined && version !== packaged.chart.version) {
      throw new OcmError({
        code: "OCM_INPUT_INVALID",
        message: `field input.version: ${version} is not the version of chart ${packaged.chart.name} (${packaged.chart.version} in its Chart.yaml)`,
        hint: "Drop input.version or set the chart's version in Chart.yaml; this plugin does not rewrite charts.",
      });
    }
    const bytes = packaged.tgz;
    return {
      mediaType: CHART_MEDIA_TYPE,
      size: bytes.length,
      content: (async function* () {
        yield bytes;
      })(),
    };
  },
};
