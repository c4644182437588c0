// One delivery of one event to one handler plugin and scope, bounded in time. Used by the outbox
// dispatcher and by the Redis stream consumer alike.
import { OcmError, type CapabilityProvider, type OcmEvent, type RoutedScope } from "../../../core/index.js";

/** A handler plugin as the registry knows it: its id and the eventHandler type it serves. */
export interface HandlerPlugin {
  id: string;
  type: string;
  subscribed: readonly string[];
}

/** Delivers or throws: an OcmError from the plugin, OCM_EVENT_DELIVERY_TIMEOUT when the bound passed. */
export async function deliverEvent(
  provider: CapabilityProvider,
  handler: HandlerPlugin,
  event: OcmEvent,
  scope: RoutedScope,
  timeoutMs: number,
): Promise<void> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(
        new OcmError({
          code: "OCM_EVENT_DELIVERY_TIMEOUT",
          message: `plugin ${handler.id} did not acknowledge event ${event.id} (${event.type}) within ${timeoutMs} ms`,
          hint: "The event is delivered again on a later ocm run; raise deliveryTimeout in the events config if the handler needs longer.",
          details: { plugin: handler.id, event: event.id, timeoutMs },
        }),
      );
    }, timeoutMs);
  });
  try {
    const plugin = await provider.getPlugin(handler.type, "eventHandler");
    await Promise.race([
      plugin.handleEvent(
        {
          event,
          scope: { name: scope.name, ...(scope.config === undefined ? {} : { config: scope.config }) },
        },
        { signal: controller.signal },
      ),
      bound,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
