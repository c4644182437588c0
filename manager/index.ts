// Public surface of the manager: the host layer (discovery, registry, lifecycle, transport, conformance,
// credentials) and the operations built on it.
export { createPluginManager } from "./host/plugin-manager.js";
export type { PluginManager, PluginManagerOptions, PluginListEntry } from "./host/plugin-manager.js";
export type { FlatRegistration, PluginRegistration } from "./host/registration.js";
export { createHostLogger, LOG_LEVELS } from "./host/log.js";
export type { LogLevel, Logger } from "./host/log.js";
export * from "./operations/index.js";
// Not among the operations the package entry re-exports: core has its own describeRepository (with the type).
export { describeRepository } from "./operations/lookup-component-version.js";
export { checkConformance } from "./host/conformance/check-conformance.js";
export type { ConformanceOptions } from "./host/conformance/check-conformance.js";
export type { ConformanceReport, ConformanceCheck } from "./host/conformance/conformance-report.js";
export { createCredentialResolver } from "./host/credentials/credential-resolver.js";
export { loadOcmConfig } from "./host/config/load-config.js";
export { eventSettingsOf, setScopeEnabled } from "./host/config/event-scopes.js";
export { addRemotePlugin } from "./host/config/add-remote-plugin.js";
export type { RemoteInstanceState } from "./host/handle/remote-instances.js";
export type { EventSettings } from "./host/config/event-scopes.js";
export { createOutbox, defaultOutboxDir } from "./host/events/outbox.js";
export type { DeliveryState, Outbox, OutboxRecord } from "./host/events/outbox.js";
export { outboxEntriesOf } from "./host/events/outbox-entries.js";
export type { OutboxEntry } from "./host/events/outbox-entries.js";
export { dispatchEvents, handlerPlugins, reviveDeadLetters } from "./host/events/dispatch-events.js";
export type { DispatchSummary } from "./host/events/dispatch-events.js";
export { consumeStream, forwardToRedis } from "./host/events/redis-streams.js";
export { consumerIdentityOf } from "./host/credentials/consumer-identity.js";
export { describeCredentials } from "./host/credentials/describe-credentials.js";
export { resolveComponentReference, resolveRepositoryReference } from "./host/refs/resolve-reference.js";
export type { ResolveReferenceOptions } from "./host/refs/resolve-reference.js";
export { findPluginFor, testPluginConnection, typeOf } from "./host/status/test-plugin-connection.js";
export type { PluginTestOptions, PluginTestReport } from "./host/status/test-plugin-connection.js";
export { pluginStatus } from "./host/status/plugin-status.js";
export type { FailedPlugin, PluginStatus, RemotePluginStatus } from "./host/status/plugin-status.js";
export type { PluginInstance } from "./host/status/read-instances.js";
export { actionsOf } from "./host/actions/run-action.js";
export type { ActionRun, DeclaredAction, RunActionRequest } from "./host/actions/run-action.js";
