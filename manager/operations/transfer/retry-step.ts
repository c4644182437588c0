// A blob copy that broke because one instance of a remote plugin went away (ADR 0009, "Transfer"). The
// stream it was reading or writing cannot be replayed: its bytes went to the other side. The step as a
// whole can: the source blob is read again from the start and written again, and the plugin's next call
// goes to another instance. Any other failure is the transfer's.

/** The code of a remote instance's connection failure (manager/host/call/send-request.ts). */
const RETRYABLE = "OCM_PLUGIN_REMOTE_FAILED";
/** Attempts of one step after the first. */
const MAX_RETRIES = 2;

/** Runs `step`, again from the start while it fails by a remote instance's connection failure. */
export async function retryStep<T>(step: () => Promise<T>, signal: AbortSignal): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (attempt >= MAX_RETRIES || signal.aborted || !failedByRemote(error)) throw error;
    }
  }
}

/** The error, or one it wraps (a target reading a broken source stream), is a remote connection failure. */
function failedByRemote(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if ((current as { code?: unknown }).code === RETRYABLE) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
