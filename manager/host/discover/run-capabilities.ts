// Runs `<plugin> capabilities` once and judges the answer: a valid document, or a broken plugin with the
// reason and the tail of stderr. Never throws: one bad file must not break discovery of the others.
import type { CapabilitiesDocument, OcmErrorData } from "../../../core/index.js";
import { PROTOCOL_VERSION, capabilitiesDocumentSchema, isProtocolCompatible } from "../../../core/index.js";
import { escapeControls } from "../../../core/model/index.js";
import type { EnvOverlay } from "../process/child-env.js";
import { runGroupCommand } from "../process/run-group-command.js";

export interface CapabilitiesResult {
  state: "ok" | "broken";
  document?: CapabilitiesDocument;
  error?: OcmErrorData;
  stderrTail?: string;
  /** False for a timeout: it may be transient, so discovery keeps it only for a back-off. */
  cacheable: boolean;
}

const STDERR_TAIL_BYTES = 4096;

/** The last few KiB of a process's stderr, for error messages, with control characters escaped (#10). */
export function tailOf(text: string, bytes = STDERR_TAIL_BYTES): string {
  const trimmed = text.trimEnd();
  return escapeControls(trimmed.length > bytes ? `…${trimmed.slice(-bytes)}` : trimmed);
}

/** Runs `capabilities` with a bound of `timeoutMs`; `env` is overlaid on the host's environment. */
export async function runCapabilities(
  path: string,
  timeoutMs: number,
  env?: EnvOverlay,
): Promise<CapabilitiesResult> {
  // Its own process group: the bound and the end of the leader kill everything it forked (#10).
  const result = await runGroupCommand(path, ["capabilities"], {
    timeoutMs,
    killAfterMs: 1000,
    maxBuffer: 4 * 1024 * 1024,
    ...(env ? { env } : {}),
  });
  const stderrTail = tailOf(String(result.stderr ?? ""));
  const broken = (error: OcmErrorData, cacheable = true): CapabilitiesResult => ({
    state: "broken",
    error,
    cacheable,
    ...(stderrTail ? { stderrTail } : {}),
  });

  if (result.timedOut) {
    return broken(
      {
        code: "OCM_DISCOVERY_TIMEOUT",
        message: `${path} capabilities did not finish within ${timeoutMs} ms`,
        hint: "Fix the plugin, or raise discoveryTimeout in the plugin config.",
      },
      false,
    );
  }
  if (result.failed && result.exitCode === undefined) {
    const cause = (result as { cause?: { code?: string; message?: string } }).cause;
    const notExecutable = cause?.code === "EACCES" || cause?.code === "ENOEXEC" || cause?.code === "ENOENT";
    return broken({
      code: notExecutable ? "OCM_DISCOVERY_NOT_EXECUTABLE" : "OCM_DISCOVERY_EXIT",
      message: `${path} cannot be run: ${cause?.code ?? cause?.message ?? result.shortMessage}`,
      hint: notExecutable
        ? "Make it executable (chmod +x) and check its interpreter line, or remove it from the plugin directory."
        : "Run `<plugin> capabilities` by hand to see why.",
    });
  }
  if (result.exitCode !== 0) {
    return broken({
      code: "OCM_DISCOVERY_EXIT",
      message: `${path} capabilities exited with ${result.exitCode ?? result.signal}`,
      hint: "Run `<plugin> capabilities` by hand; it must print one JSON document and exit 0.",
      details: { exitCode: result.exitCode ?? null },
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(String(result.stdout));
  } catch (error) {
    const shown = String(result.stdout).trim().slice(0, 80);
    return broken({
      code: "OCM_DISCOVERY_INVALID_JSON",
      message: `${path} capabilities printed something that is not JSON (${(error as Error).message}): ${JSON.stringify(shown)}`,
      hint: "The plugin must print exactly one JSON document on stdout; logs belong on stderr.",
    });
  }
  const parsed = capabilitiesDocumentSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.length ? issue.path.map(String).join(".") : "(root)";
    return broken({
      code: "OCM_DISCOVERY_INVALID_CAPABILITIES",
      message: `${path} capabilities document: field ${field}: ${issue?.message ?? "invalid"}`,
      hint: "Compare the document with schemas/capabilities.schema.json.",
      details: { field },
    });
  }
  const protocol = parsed.data.protocol ?? "1.0.0";
  if (!isProtocolCompatible(protocol)) {
    return broken({
      code: "OCM_DISCOVERY_PROTOCOL_MISMATCH",
      message: `${path} speaks plugin protocol ${protocol}, but this ocm-ts speaks ${PROTOCOL_VERSION}`,
      hint: `Install a version of the plugin built for protocol ${PROTOCOL_VERSION.split(".")[0]}.x.`,
      details: { plugin: protocol, host: PROTOCOL_VERSION },
    });
  }
  return { state: "ok", document: parsed.data, cacheable: true };
}
