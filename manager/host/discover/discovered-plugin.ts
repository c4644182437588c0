// What discovery knows about one file in a plugin directory.
import type { CapabilitiesDocument, OcmErrorData } from "../../../core/index.js";
import type { PluginProvenance } from "../../plugin-store/plugin-record.js";

/** One executable found in a plugin directory, usable (`ok`) or `broken` with its reason. */
export interface DiscoveredPlugin {
  /** The file name without its last extension (`oci.exe` → `oci`). */
  id: string;
  /** Absolute path as found in the directory (a symlink stays a symlink). */
  path: string;
  /** The plugin directory it was found in. */
  dir: string;
  state: "ok" | "broken";
  /** The validated `capabilities` document, when ok. */
  document?: CapabilitiesDocument;
  /** Why it is broken. */
  error?: OcmErrorData;
  /** The last lines of stderr of a broken plugin's `capabilities` run. */
  stderrTail?: string;
  size: number;
  mtimeMs: number;
  /** True when the result came from the discovery cache, without running the plugin. */
  fromCache: boolean;
  /** For a `capabilities` timeout: when (epoch ms) discovery asks the plugin again, unless its file changes. */
  retryAt?: number;
  /** Where `ocm plugin install` got it from (its install record). */
  provenance?: PluginProvenance;
  /** Disabled with `ocm plugin disable`: listed, never chosen. */
  disabled?: boolean;
  /** A plugin service named in the ocm config (ADR 0009); `path` holds its URLs. */
  remote?: boolean;
}
