// Self-registration of plugin services (issue #17 item 3, adr/0009-remote-plugins.md "Registration"): a
// plugin service posts its URL and capabilities to a manager that listens for registrations, then
// heartbeats; the manager drops it after missed heartbeats. One shared token authenticates both ways.
import * as z from "zod";
import { capabilitiesDocumentSchema } from "./capabilities.js";

export const REGISTER_ROUTE = "/v1/registrations";
export const HEARTBEAT_ROUTE = "/v1/registrations/heartbeat";
export const DEREGISTER_ROUTE = "/v1/registrations/deregister";

/** How often a service heartbeats unless it says otherwise. */
export const DEFAULT_HEARTBEAT_MS = 10_000;

/** One instance of a plugin service: its plugin id and its base URL. */
export const registrationKeySchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, { message: "must be a plugin id" }),
  url: z.string().min(1),
});

/** `POST /v1/registrations`: who, where, what it serves and how often it will heartbeat. */
export const registrationSchema = registrationKeySchema
  .extend({
    capabilities: capabilitiesDocumentSchema,
    heartbeatMs: z.number().int().min(50).max(3_600_000).optional(),
  })
  .meta({ title: "A plugin service's registration" });

export type Registration = z.infer<typeof registrationSchema>;
export type RegistrationKey = z.infer<typeof registrationKeySchema>;

/** The manager's answer to a registration or heartbeat: the bound after which it drops the instance. */
export const registrationAnswerSchema = z.object({ expiresAfterMs: z.number().int().positive() });
