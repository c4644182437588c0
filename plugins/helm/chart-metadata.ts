// Chart.yaml as far as OCM needs it: the chart's name and version (required, as `helm package` requires
// them), and the whole document as JSON for the config blob of a chart pushed to an OCI registry.
import { parse } from "yaml";
import { OcmError } from "../../sdk/index.js";

/** The parsed Chart.yaml of a chart. */
export interface ChartMetadata {
  name: string;
  version: string;
  /** The whole Chart.yaml as a JSON value (helm's OCI config blob holds exactly this). */
  document: Record<string, unknown>;
}

/** Parses Chart.yaml `text` found at `where`; a chart without name or version is an error. */
export function parseChartMetadata(text: string, where: string): ChartMetadata {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw invalidChart(`${where} is not valid YAML: ${(error as Error).message}`, error);
  }
  if (typeof document !== "object" || document === null || Array.isArray(document)) {
    throw invalidChart(`${where} is not a mapping`);
  }
  const fields = document as Record<string, unknown>;
  const name = fields["name"];
  const version = fields["version"];
  const missing = [
    typeof name === "string" && name !== "" ? undefined : "name",
    typeof version === "string" && version !== "" ? undefined : "version",
  ].filter((f) => f !== undefined);
  if (missing.length > 0) {
    throw invalidChart(`${where} has no ${missing.join(" and no ")} (helm needs both as strings)`);
  }
  if (/[/\\]|^\.\.?$/.test(name as string)) {
    throw invalidChart(`${where}: chart name ${JSON.stringify(name)} is not a plain name`);
  }
  return { name: name as string, version: version as string, document: fields };
}

function invalidChart(message: string, cause?: unknown): OcmError {
  return new OcmError({
    code: "OCM_INPUT_INVALID",
    message: `helm chart: ${message}`,
    hint: "A chart's Chart.yaml needs at least `apiVersion`, `name` and `version` (https://helm.sh/docs/topics/charts/).",
    ...(cause === undefined ? {} : { cause }),
  });
}
