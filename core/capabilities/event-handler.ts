// eventHandler: receive the events of the types a plugin subscribes to, one call per event and scope.
import type { eventHandlerOperations } from "../protocol/events.js";
import type { CapabilityInterface } from "./derive.js";

/** Handles one delivered event; a rejected promise means "deliver it again later". */
export interface EventHandler extends CapabilityInterface<typeof eventHandlerOperations> {}
