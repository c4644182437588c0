// action: run one of the named actions a plugin declares (adr/0010-actions.md); the answer streams back.
import type { actionOperations } from "../protocol/actions.js";
import type { CapabilityInterface } from "./derive.js";

/**
 * Runs an action; the answer's `content` is the action's JSON lines (progress, then a result or error).
 * The SDK's `createAction` builds one from plain functions.
 */
export interface ActionRunner extends CapabilityInterface<typeof actionOperations> {}
