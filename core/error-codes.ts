// Every error code ocm-ts raises, with its meaning and fix. docs/errors.md mirrors this table and a test
// keeps the two in step.

export interface ErrorCodeInfo {
  meaning: string;
  fix: string;
}

export const ERROR_CODES = {
  OCM_INTERNAL: {
    meaning: "An unexpected failure inside ocm-ts.",
    fix: "Report it as a bug with the command you ran.",
  },
  OCM_SYSTEM_IO: {
    meaning: "The operating system refused a file operation (disk full, permission denied, missing path…).",
    fix: "Read the errno and path in the message; free space, fix permissions or choose another path.",
  },
  OCM_SYSTEM_NETWORK: {
    meaning: "A network connection failed (refused, reset, timed out, host not found).",
    fix: "Check the host, port and network named in the message, then retry.",
  },
  OCM_USAGE_INVALID: {
    meaning: "A command was called with bad arguments.",
    fix: "Check the command's --help.",
  },
  OCM_CONFIG_INVALID: {
    meaning: "A configuration value is malformed.",
    fix: "Correct the field named in the message.",
  },
  OCM_CONFIG_READ_FAILED: {
    meaning: "A configuration file could not be read.",
    fix: "Check the path and its permissions.",
  },
  OCM_EVENT_DELIVERY_TIMEOUT: {
    meaning: "An event handler plugin did not acknowledge an event within the delivery bound.",
    fix: "Nothing to do: the event is delivered again on a later run; raise deliveryTimeout in the events config if the handler needs longer.",
  },
  OCM_EVENT_BROKER_UNREACHABLE: {
    meaning: "The Redis server of the events config could not be reached.",
    fix: "Start it or fix redis.url; events stay in the local outbox until it is reachable.",
  },
  OCM_DURATION_INVALID: {
    meaning: "A duration is neither a Go-style string nor integer nanoseconds.",
    fix: 'Use e.g. "30s", "5m", "1h30m" or an integer of nanoseconds.',
  },
  OCM_DISCOVERY_NOT_EXECUTABLE: {
    meaning: "A file in a plugin directory cannot be executed.",
    fix: "chmod +x the file, or remove it from the plugin directory.",
  },
  OCM_DISCOVERY_EXIT: {
    meaning: "A plugin's `capabilities` command exited non-zero.",
    fix: "Run `<plugin> capabilities` by hand and fix the plugin.",
  },
  OCM_DISCOVERY_TIMEOUT: {
    meaning: "A plugin's `capabilities` command did not finish in time.",
    fix: "Fix the plugin, or raise the discovery timeout.",
  },
  OCM_DISCOVERY_INVALID_JSON: {
    meaning: "A plugin's `capabilities` output is not JSON.",
    fix: "The plugin must print exactly one JSON document on stdout.",
  },
  OCM_DISCOVERY_INVALID_CAPABILITIES: {
    meaning: "A plugin's `capabilities` document violates the contract schema.",
    fix: "Compare it with schemas/capabilities.schema.json.",
  },
  OCM_DISCOVERY_PROTOCOL_MISMATCH: {
    meaning: "A plugin speaks an incompatible contract version.",
    fix: "Install a plugin built for this ocm-ts protocol version.",
  },
  OCM_PLUGIN_NOT_FOUND: {
    meaning: "No plugin offers the requested type and capability.",
    fix: "Install a plugin for it (`ocm plugin list` shows what is known).",
  },
  OCM_PLUGIN_UNKNOWN_ID: {
    meaning: "No plugin has the given id.",
    fix: "Use an id shown by `ocm plugin list`.",
  },
  OCM_PLUGIN_BROKEN: {
    meaning: "The plugin is recorded as broken.",
    fix: "See the reason in `ocm plugin info <id>` and fix or remove the plugin.",
  },
  OCM_PLUGIN_START_FAILED: {
    meaning: "A plugin process exited or failed before it became ready.",
    fix: "Read the stderr tail in the message; run the plugin's server by hand.",
  },
  OCM_PLUGIN_START_TIMEOUT: {
    meaning: "A plugin did not answer its health check within the start timeout.",
    fix: "Fix the plugin, or raise the start timeout.",
  },
  OCM_PLUGIN_CRASHED: {
    meaning: "A plugin process died while a call was in flight.",
    fix: "Retry; if it recurs, read the plugin's log lines.",
  },
  OCM_PLUGIN_STOPPED: {
    meaning: "The plugin manager was closed while calls were pending.",
    fix: "Do not use a manager after close().",
  },
  OCM_RUNTIME_DIR_UNSAFE: {
    meaning:
      "The runtime directory ($XDG_RUNTIME_DIR/ocm or $TMPDIR/ocm-<uid>/run) is not a directory of the current user; ocm keeps no runtime records and cannot clean up after killed runs.",
    fix: "Remove the path named in the message, or set XDG_RUNTIME_DIR to a private directory.",
  },
  OCM_RPC_TIMEOUT: {
    meaning: "A call to a plugin did not complete in time.",
    fix: "Raise the call timeout or check the plugin.",
  },
  OCM_RPC_UNAUTHORIZED: {
    meaning: "A request to a plugin lacked the per-launch secret.",
    fix: "Only the manager that started a plugin may call it.",
  },
  OCM_RPC_BAD_REQUEST: {
    meaning: "A request body does not match the contract schema.",
    fix: "Fix the field named in the message.",
  },
  OCM_RPC_BAD_RESPONSE: {
    meaning: "A plugin answered with a body that violates the contract schema.",
    fix: "Fix the plugin; the message names the field.",
  },
  OCM_RPC_NOT_FOUND: {
    meaning: "A plugin does not serve the requested route.",
    fix: "The plugin does not implement that capability for that type.",
  },
  OCM_RPC_FAILED: {
    meaning: "A plugin call failed without a structured error.",
    fix: "Read the plugin's log lines.",
  },
  OCM_RPC_RESPONSE_TOO_LARGE: {
    meaning: "A plugin answered with a JSON body larger than the bound on plugin answers (default 16 MiB).",
    fix: "Fix the plugin; if the answer is genuine, raise maxResponseSize in the plugin config entry.",
  },
  OCM_BLOB_SIZE_MISMATCH: {
    meaning: "A blob's stream carried more or fewer bytes than the size declared for it; it was cut off.",
    fix: "The plugin or repository is faulty or hostile; nothing was kept. Fetch it from a trusted source.",
  },
  OCM_BLOB_TOO_LARGE: {
    meaning: "A blob of undeclared size exceeded the configured maxBlobSize; it was cut off.",
    fix: "Raise maxBlobSize in the plugin config entry if the blob is genuinely this large.",
  },
  OCM_PLUGIN_CONFIG_INVALID: {
    meaning:
      "A plugin's own configuration (`plugins.<id>.config` in the ocm config file) does not match the configSchema it declares, or the plugin rejected it.",
    fix: "Correct the field named in the message; `ocm plugin info <id>` shows the plugin's configSchema.",
  },
  OCM_PLUGIN_SECRETS_INVALID: {
    meaning:
      'A plugin started with "secrets":"stdin" got no valid secrets line ({"secret":…,"config":…}) on stdin.',
    fix: "Start plugins through ocm, or write the secrets line on the plugin's stdin (docs/plugin-authors.md).",
  },
  OCM_PLUGIN_INIT_FAILED: {
    meaning: "A plugin's init hook failed.",
    fix: "Read the message; the plugin's own configuration is probably wrong.",
  },
  OCM_PLUGIN_LISTEN_FAILED: {
    meaning: "A plugin could not listen on the location it was given.",
    fix: "Check the socket directory or the port.",
  },
  OCM_PLUGIN_CONFLICT: {
    meaning: "Two external plugins claim the same type and capability.",
    fix: "Remove or disable one of them; the winner is the first by path.",
  },
  OCM_PLUGIN_REMOTE_UNAVAILABLE: {
    meaning:
      "No instance of a remote plugin is reachable: each failed its last call or health check, so calls fail at once until `GET /v1/health` passes again.",
    fix: "Start the plugin service or fix its URL; `ocm plugin status` shows each instance and why it is out.",
  },
  OCM_PLUGIN_REMOTE_FAILED: {
    meaning:
      "The connection to one instance of a remote plugin failed during a call; the instance is taken out until its health check passes.",
    fix: "Retry: a read is retried on another instance by itself, and a transfer reads a blob again; check the instance named in the message.",
  },
  OCM_PLUGIN_REMOTE_INSECURE: {
    meaning:
      "A remote plugin would be reached over plain HTTP on a host that is not loopback, where its token and credentials could be read on the way.",
    fix: "Use an https:// URL (with --ca for a private CA), or plain http:// only to 127.0.0.1, ::1 or localhost.",
  },
  OCM_PLUGIN_REMOTE_TOKEN_MISSING: {
    meaning: "The bearer token of a remote plugin could not be found where its config says (`tokenFrom`).",
    fix: "Set the environment variable it names, or add a consumer {type: OCMPluginService, id: <plugin id>} with a `token` property to the credentials config.",
  },
  OCM_PLUGIN_TEST_FAILED: {
    meaning:
      "A check of `ocm plugin test` failed: the plugin could not start, or could not reach or write the repository.",
    fix: "Read each failed check's reason; `ocm plugin status` shows plugins in config error.",
  },
  OCM_VERIFY_FAILED: {
    meaning: "An executable failed one or more checks of `ocm plugin verify`.",
    fix: "Read each failed check's detail; docs/plugin-authors.md describes the contract.",
  },
  OCM_INSTALL_NO_RESOURCE: {
    meaning: "A component version has no ocmPlugin resource for this os/architecture and the given identity.",
    fix: "Pick one of the candidates in the hint with --resource or --extra-identity, or publish a build for this platform.",
  },
  OCM_INSTALL_AMBIGUOUS: {
    meaning: "More than one ocmPlugin resource matches this os/architecture and the given identity.",
    fix: "Narrow the choice with --resource <name> or --extra-identity k=v.",
  },
  OCM_INSTALL_DIGEST_MISMATCH: {
    meaning: "A plugin resource's bytes do not match the digest in its component descriptor.",
    fix: "The repository content was altered or corrupted; nothing was installed.",
  },
  OCM_INSTALL_UNSAFE_ARCHIVE: {
    meaning:
      "A plugin archive holds an entry that is not a regular file or directory (symlink, hard link, device), a path leaving it, a duplicate, or unpacks to too much.",
    fix: "Repackage the plugin as a plain executable, gzip, tar or tgz with relative regular files only.",
  },
  OCM_INSTALL_NO_EXECUTABLE: {
    meaning: "A plugin archive holds no single executable file to install.",
    fix: "Package exactly one executable regular file (or name it after the plugin).",
  },
  OCM_INSTALL_INVALID_PLUGIN: {
    meaning:
      "The downloaded plugin failed `capabilities` (not runnable, invalid document or incompatible protocol).",
    fix: "Read the reason; the previous version, if any, is still installed.",
  },
  OCM_INSTALL_NOT_SIGNED: {
    meaning:
      "--verify-signature was given but the plugin resource has no genericBlobDigest/v1 SHA-256 digest (e.g. it is excluded from signing), so the signature does not cover its bytes.",
    fix: "Ask the publisher to sign the plugin with a blob digest for the resource; nothing was installed.",
  },
  OCM_INSTALL_NO_VERSION: {
    meaning:
      "No version of the plugin component satisfies the requested semver constraint (or it has no versions).",
    fix: "Pick a constraint that matches one of the versions listed in the hint, or publish a matching version.",
  },
  OCM_INSTALL_NO_SOURCE: {
    meaning: "`ocm plugin update` found no install record saying where the plugin came from.",
    fix: "Install it with `ocm plugin install <repository>//<component>`; then it can be updated.",
  },
  OCM_INSTALL_UPDATE_FAILED: {
    meaning: "`ocm plugin update` could not update one or more plugins; each kept its installed version.",
    fix: "Read the reason printed for each failed plugin and fix it, then run the update again.",
  },
  OCM_INSTALL_NOT_INSTALLED: {
    meaning: "No plugin with the given id is installed in the plugin directory.",
    fix: "Use an id shown by `ocm plugin list`, or pass the right --plugin-dir.",
  },
  OCM_INPUT_INVALID: {
    meaning: "A constructor input specification is malformed or of an unknown type.",
    fix: "Correct the field named in the message (see docs/inputs.md).",
  },
  OCM_INPUT_NOT_FOUND: {
    meaning: "A constructor input names a file or directory that does not exist.",
    fix: "Paths are relative to the constructor file's directory.",
  },
  OCM_CONSTRUCTOR_INVALID: {
    meaning: "A component constructor file is not valid YAML or violates its schema.",
    fix: "Correct the field named by its dot path in the message.",
  },
  OCM_RESOURCE_NOT_FOUND: {
    meaning: "No resource of the component version matches the given identity.",
    fix: "Use one of the identities listed in the hint.",
  },
  OCM_RESOURCE_AMBIGUOUS: {
    meaning: "Several resources match the given identity.",
    fix: "Add extra identity keys (e.g. version=...) to select one.",
  },
  OCM_IDENTITY_INVALID: {
    meaning: "An element identity selector is not a list of key=value pairs.",
    fix: "Write name=<name>[,<key>=<value>...], e.g. name=image,os=linux.",
  },
  OCM_REFERENCE_INVALID: {
    meaning: "A repository or component reference cannot be parsed.",
    fix: "Write [ctf::]<path>//<component>[:<version>] or [oci::]<host>[/<path>]//<component>[:<version>].",
  },
  OCM_REPOSITORY_NOT_FOUND: {
    meaning: "The repository has no such component, version or blob.",
    fix: "Use one of the names or versions listed in the hint.",
  },
  OCM_REPOSITORY_DIGEST_MISMATCH: {
    meaning: "A blob's bytes do not match the digest it was announced or stored with.",
    fix: "The source is corrupt or was tampered with; fetch it again from a trusted source.",
  },
  OCM_REPOSITORY_VERSION_EXISTS: {
    meaning: "The component version already exists in the target repository.",
    fix: "Bump the version, or pass --overwrite where the command offers it.",
  },
  OCM_REPOSITORY_LOCKED: {
    meaning: "Another process is writing the same repository.",
    fix: "Wait for the other writer to finish; remove a stale lock file only if no ocm process runs.",
  },
  OCM_REPOSITORY_INVALID: {
    meaning: "A repository is malformed or of an unknown format.",
    fix: "Check the path or URL; a CTF is a directory, tar or tgz with artifact-index.json.",
  },
  OCM_REPOSITORY_SINGLE_VERSION: {
    meaning:
      "A Component Archive holds exactly one component version, and another one was to be written into it.",
    fix: "Write the other component version into a new archive or a CTF.",
  },
  OCM_REPOSITORY_EXISTS: {
    meaning: "A repository was to be created where something already exists.",
    fix: "Choose another path, or omit --create to add to the existing repository.",
  },
  OCM_DESCRIPTOR_INVALID: {
    meaning: "A component descriptor is malformed or violates its schema.",
    fix: "Correct the field named by its dot path in the message.",
  },
  OCM_DESCRIPTOR_IDENTITY_MISMATCH: {
    meaning:
      "A repository returned a descriptor whose component name or version differs from the one requested (a moved tag or repository: rollback or tag swap).",
    fix: "Do not use the component version from that repository; fetch it from a trusted source.",
  },
  OCM_ARCHIVE_UNSAFE_ENTRY: {
    meaning:
      "An archive holds an entry that is not a regular file or directory (a symlink, hard link, device) or a path that leaves it (.., absolute).",
    fix: "Do not use the archive; a CTF archive holds only artifact-index.json and blobs/ files. Nothing was written.",
  },
  OCM_ARCHIVE_DUPLICATE_ENTRY: {
    meaning: "An archive holds the same entry twice, so tools could disagree about which copy counts.",
    fix: "Do not use the archive; rewrite it from a trusted source with each entry once.",
  },
  OCM_ARCHIVE_TRUNCATED: {
    meaning: "An archive (tar or tgz) ends in the middle of an entry or of its gzip stream.",
    fix: "The file is incomplete (interrupted copy or download); fetch or write it again.",
  },
  OCM_ARCHIVE_TOO_LARGE: {
    meaning:
      "An archive entry or the whole archive unpacks to more than allowed (a JSON entry over its cap, or an expansion over the unpacked-size limit).",
    fix: "Do not use the archive; if it is trusted and a limit can be raised, the hint names the variable (OCM_COMPARCH_MAX_UNPACKED_SIZE=<bytes> for a component archive).",
  },
  OCM_REPOSITORY_NO_SPACE: {
    meaning: "The disk of the repository or of the temp directory (TMPDIR) ran out of space during a write.",
    fix: "Free space there, or point TMPDIR at a larger disk; the repository was left as it was.",
  },
  OCM_NORMALISATION_UNSUPPORTED: {
    meaning: "An unknown normalisation or hash algorithm was requested.",
    fix: "Use jsonNormalisation/v1, v2, v3 or v4alpha1 and SHA-256 or SHA-512.",
  },
  OCM_SIGNING_SIGNATURE_INVALID: {
    meaning:
      "A signature does not verify with the given public key (wrong key, or the signature was altered).",
    fix: "Verify with the public key that belongs to the signing key, or sign the component version again.",
  },
  OCM_SIGNING_BLOB_DIGEST_MISMATCH: {
    meaning: "A resource's bytes do not match the digest stored in its descriptor.",
    fix: "The content was altered or corrupted; fetch it again from a trusted source.",
  },
  OCM_SIGNING_DESCRIPTOR_DIGEST_MISMATCH: {
    meaning: "A component descriptor (or a referenced one) does not match the digest that was signed.",
    fix: "A signed field was changed after signing; restore it from a trusted source or sign again.",
  },
  OCM_SIGNING_SIGNATURE_NOT_FOUND: {
    meaning: "The component version has no signature of the given name.",
    fix: "Use one of the signature names listed in the hint.",
  },
  OCM_SIGNING_KEY_INVALID: {
    meaning: "A key or certificate file is not a usable PEM RSA key or certificate.",
    fix: "Pass a PEM file: RSA PRIVATE KEY / PRIVATE KEY to sign, RSA PUBLIC KEY / PUBLIC KEY / CERTIFICATE to verify.",
  },
  OCM_SIGNING_KEY_EXISTS: {
    meaning: "`ocm create rsakeypair` would overwrite an existing key file.",
    fix: "Choose another file name, or pass --force to replace the key pair.",
  },
  OCM_SIGNING_CERTIFICATE_UNTRUSTED: {
    meaning:
      "A signature's certificate chain does not lead to the given CA, has expired, or names another issuer.",
    fix: "Pass the CA that issued the signer's certificate with --ca, or check the certificate's validity.",
  },
  OCM_SIGNING_DIGEST_UNSUPPORTED: {
    meaning:
      "A resource's digest cannot be computed or checked (unknown digest algorithm or unreadable content).",
    fix: "Install a plugin that reads the resource's access type, or exclude the resource from signing.",
  },
  OCM_CREDENTIALS_INVALID: {
    meaning:
      "A credentials configuration is malformed: a credentials.config.ocm.software entry, a DockerConfig/v1 or Credentials/v1 spec, or a docker config.json.",
    fix: "Correct the field named in the message (see docs/credentials.md).",
  },
  OCM_CREDENTIALS_READ_FAILED: {
    meaning: "A docker config file named in the credentials configuration cannot be read.",
    fix: "Check the dockerConfigFile path and its permissions, or remove the entry.",
  },
  OCM_CREDENTIALS_HELPER_NOT_FOUND: {
    meaning:
      "A docker credential helper (docker-credential-<name>) named by credHelpers or credsStore is not on PATH.",
    fix: "Install the helper named in the message, or remove it from the docker config file.",
  },
  OCM_CREDENTIALS_HELPER_FAILED: {
    meaning: "A docker credential helper failed or answered with something other than its JSON document.",
    fix: "Run `echo <server> | docker-credential-<name> get` by hand; log in again with `docker login`.",
  },
  OCM_CREDENTIALS_HELPER_TIMEOUT: {
    meaning: "A docker credential helper did not answer in time (it may be waiting for a keychain prompt).",
    fix: "Unlock the keychain or run the helper by hand; raise helperTimeout in the DockerConfig/v1 spec.",
  },
  OCM_TRANSFER_TARGET_DIFFERS: {
    meaning:
      "The target repository holds a component version of the same name and version with other content.",
    fix: "Pass --overwrite to replace it, or transfer to another repository.",
  },
  OCM_ACTION_NOT_FOUND: {
    meaning: "The plugin declares no action of that name.",
    fix: "`ocm plugin action <id>` lists the plugin's actions.",
  },
  OCM_ACTION_DATA_INVALID: {
    meaning:
      "An action's input breaks the JSON Schema the plugin declares for it, or the action needs a repository and none was named; the plugin was not called.",
    fix: "Correct the field named in the message in --data (`ocm plugin action <id> -o yaml` shows the schema), or add --repository.",
  },
  OCM_ACTION_NOT_ENABLED: {
    meaning:
      "The plugin is not enabled for the scope the action was to run in: a disabled scope matches it, none of its enabled scopes does, or it has scopes and none was named.",
    fix: "Name an enabled scope with --scope, or enable the plugin for it with `ocm plugin enable <id> --scope <pattern>`.",
  },
  OCM_ACTION_BAD_ANSWER: {
    meaning:
      "A plugin answered an action with something other than JSON lines ending in one result or error line.",
    fix: 'Report it to the plugin\'s author; docs/plugin-authors.md ("action") describes the answer.',
  },
  OCM_ACTION_FAILED: {
    meaning:
      "An action ran and answered that it failed (`ok: false`), e.g. a check of prepare-repository failed.",
    fix: "Read the action's answer: its message and the checks or data it printed.",
  },
  OCM_REGISTRATION_UNKNOWN: {
    meaning:
      "A plugin service heartbeated or deregistered with a manager that holds no registration of it (dropped after missed heartbeats, or the manager restarted).",
    fix: "Nothing when the SDK's register option is used: it registers again. Otherwise post the registration again.",
  },
  OCM_PROCESSOR_CONFIG_INVALID: {
    meaning:
      "A `--processor <type>[=<json-config>]` is malformed, or the processor refused its config in init.",
    fix: "Correct the JSON or the field named in the message (the processor's config schema: `ocm plugin info <plugin>`).",
  },
  OCM_PROCESSOR_FAILED: {
    meaning:
      "A processor of the transfer's chain failed a component version with a reason; nothing of that version was written.",
    fix: "Read the reason; change the source or the processor's config, or leave the processor out.",
  },
  OCM_PROCESSOR_BAD_ANSWER: {
    meaning:
      "A processor answered something the chain cannot apply: a descriptor of another component or version, an invalid descriptor, or a blob to replace that the descriptor does not hold.",
    fix: "This is a fault of the processor named in the message; report it to its author.",
  },
  OCM_PROCESSOR_SIGNED_CHANGE: {
    meaning:
      "A processor would change what a signature of the source covers (a resource's digest, a dropped resource, a signed label).",
    fix: "Pass --allow-unsigned-changes to write the changed version without its signatures (sign it again afterwards), or leave the processor out.",
  },
  OCM_TRANSFER_NO_MATCH: {
    meaning: "No version of the component is left to transfer after --semver/--latest.",
    fix: "Use one of the versions listed in the hint, or widen the --semver constraint.",
  },
  OCM_ACCESS_INVALID: {
    meaning:
      "An access specification served by a plugin (wget, npm, …) is missing a field or has a bad value.",
    fix: "Correct the field named by its dot path in the message (see the access type's page in docs/).",
  },
  OCM_ACCESS_NOT_FOUND: {
    meaning:
      "The server behind an access answered that the URL, package or version does not exist (HTTP 404).",
    fix: "Check the URL, package name or version in the access; the message shows the URL asked.",
  },
  OCM_ACCESS_UNAUTHORIZED: {
    meaning: "The server behind an access refused the request: credentials missing or wrong (HTTP 401/403).",
    fix: "Configure credentials in the ocm config for the consumer identity named in the hint.",
  },
  OCM_ACCESS_REQUEST_FAILED: {
    meaning:
      "A request for an access's content failed: an error status, a broken or short body, or an unusable answer.",
    fix: "Check the URL and status in the message; retry when the server is back.",
  },
  OCM_ACCESS_REDIRECT_LOOP: {
    meaning: "An access's URL redirects in a loop or through more redirects than allowed.",
    fix: "Fix the server's redirects, or put the final URL in the access.",
  },
  OCM_ACCESS_TLS_FAILED: {
    meaning: "The TLS handshake with the server behind an access failed (untrusted or invalid certificate).",
    fix: "Trust the server's CA with NODE_EXTRA_CA_CERTS=<ca.pem>, or fix the certificate; the message names the reason.",
  },
  OCM_ACCESS_DIGEST_MISMATCH: {
    meaning:
      "The bytes an access downloaded do not match the digest its source publishes (a Helm repository's index.yaml digest).",
    fix: "The server's file changed or was corrupted in transit: retry, then ask the repository's owner to fix its index.",
  },
  OCM_OCI_UNAUTHORIZED: {
    meaning:
      "An OCI registry refused the request: credentials missing, wrong, or without permission (HTTP 401/403).",
    fix: "Configure credentials for the registry host (docker login or the ocm config file) with pull/push rights.",
  },
  OCM_OCI_REQUEST_FAILED: {
    meaning:
      "A request to an OCI registry failed: network error, timeout, or an error status with the registry's code.",
    fix: "Check the URL and the registry's error code in the message; retry, OCI pushes are idempotent.",
  },
  OCM_OCI_REFERENCE_INVALID: {
    meaning: "An image reference, registry host or OCI access specification cannot be parsed.",
    fix: "Write host[:port]/repository[:tag][@sha256:<hex>]; ociBlob accesses need ref and digest.",
  },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;
