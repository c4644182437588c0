// Reads an action's answer (adr/0010-actions.md): JSON lines as they arrive, progress handed on at once,
// then one result or error line. A plugin is untrusted: lines are bounded, their text escaped and cut.
import {
  OcmError,
  actionLineSchema,
  fromErrorData,
  type ActionProgress,
  type ActionResultLine,
} from "../../../core/index.js";
import { untrustedText } from "../../../core/model/index.js";

/** Bound on one line of an answer; a result is one line, so this is also the bound on a result. */
export const MAX_ACTION_LINE_BYTES = 16 * 1024 * 1024;

export interface ActionAnswerContext {
  pluginId: string;
  action: string;
  onProgress?: ((progress: ActionProgress) => void) | undefined;
}

/** The result line of the answer; an error line is thrown as the plugin's error. */
export async function readActionAnswer(
  content: AsyncIterable<Uint8Array>,
  context: ActionAnswerContext,
): Promise<ActionResultLine> {
  const decoder = new TextDecoder();
  let pending = "";
  for await (const chunk of content) {
    pending += decoder.decode(chunk, { stream: true });
    if (pending.length > MAX_ACTION_LINE_BYTES) throw badAnswer(context, "a line longer than 16 MiB");
    let end: number;
    while ((end = pending.indexOf("\n")) >= 0) {
      const text = pending.slice(0, end).trim();
      pending = pending.slice(end + 1);
      const final = text ? handleLine(text, context) : undefined;
      // Whatever follows the last line is not read (leaving the loop closes the body).
      if (final) return final;
    }
  }
  const rest = (pending + decoder.decode()).trim();
  const final = rest ? handleLine(rest, context) : undefined;
  if (final) return final;
  throw badAnswer(context, "no result or error line before the answer ended");
}

/** Handles one line: progress goes on, a result is returned, an error thrown. */
function handleLine(text: string, context: ActionAnswerContext): ActionResultLine | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badAnswer(context, `a line that is not JSON: ${JSON.stringify(untrustedText(text, 200))}`);
  }
  const parsed = actionLineSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.length ? issue.path.join(".") : "(root)";
    throw badAnswer(context, `a line whose field ${field} ${issue?.message ?? "is invalid"}`);
  }
  const line = parsed.data;
  if (line.type === "progress") {
    context.onProgress?.({ ...line, message: untrustedText(line.message, 4096) });
    return undefined;
  }
  if (line.type === "result") {
    return line.message === undefined ? line : { ...line, message: untrustedText(line.message, 4096) };
  }
  const wellFormed = /^OCM_[A-Z0-9_]{1,64}$/.test(line.code) && line.code !== "OCM_INTERNAL";
  throw fromErrorData({
    code: wellFormed ? line.code : "OCM_RPC_FAILED",
    message: `action ${context.action} of plugin ${context.pluginId} failed: ${untrustedText(line.message, 4096)}`,
    ...(line.hint === undefined ? {} : { hint: untrustedText(line.hint, 1024) }),
    details: { plugin: context.pluginId, action: context.action, pluginCode: line.code },
  });
}

function badAnswer(context: ActionAnswerContext, what: string): OcmError {
  return new OcmError({
    code: "OCM_ACTION_BAD_ANSWER",
    message: `action ${context.action} of plugin ${context.pluginId} answered ${what}`,
    hint: 'The answer is one JSON object per line: {"type":"progress",...}, then one {"type":"result",...} or {"type":"error",...} (docs/plugin-authors.md, "action").',
    details: { plugin: context.pluginId, action: context.action },
  });
}
