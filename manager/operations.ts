// The library form of every command: each takes a plugin manager (or options) and returns data.
export { addComponentVersions } from "./ops/add-component-versions.js";
export type { AddComponentVersionsOptions, AddedComponentVersion } from "./ops/add-component-versions.js";
export { getComponentVersions } from "./ops/get-component-versions.js";
export { downloadResource, openResource } from "./ops/download-resource.js";
export { signComponentVersion } from "./ops/sign-component-version.js";
export { verifyComponentVersion } from "./ops/verify-component-version.js";
export { transferComponentVersions } from "./transfer/transfer-component-versions.js";
export { installPlugin } from "./install/install-plugin.js";
export { verifyPlugin } from "./verify/verify-plugin.js";
export { createCredentialResolver } from "./credentials/credential-resolver.js";
export { consumerIdentityOf } from "./credentials/consumer-identity.js";
