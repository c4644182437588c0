// The one line a plugin prints on stdout once it listens. The host then confirms with the health route;
// a plugin that prints nothing is still found by polling health, only later.
import * as z from "zod";

export const readyLineSchema = z.object({
  event: z.literal("ready"),
  location: z.string(),
  protocol: z.string(),
  pid: z.number().int(),
});
export type ReadyLine = z.infer<typeof readyLineSchema>;
