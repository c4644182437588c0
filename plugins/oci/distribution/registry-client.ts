// One registry as the distribution spec's HTTP API: requests carry the right Authorization (learned from the
// registry's 401 challenge, remembered per origin so streamed bodies go out authorised the first time),
// and every failure becomes an OcmError naming the URL and the registry's error code (see http.ts).
import { unauthorizedError, requestFailedError } from "../oci-errors.js";
import { authorization, forgetToken, hasCredentials, type RegistryCredentials } from "./auth.js";
import { parseChallenge, type Challenge } from "./challenge.js";
import { dispatch, responseError, type RegistryRequest, type RegistryResponse } from "./http.js";
import type { RegistryLocation } from "./reference.js";

export type { RegistryRequest, RegistryResponse, RequestBody } from "./http.js";

// The challenge each registry (by origin) answered with; absent until one was seen.
const challenges = new Map<string, Challenge>();

/** Options of a client: the credentials and abort signal of the capability call it serves. */
export interface RegistryClientOptions {
  credentials?: RegistryCredentials | undefined;
  signal?: AbortSignal | undefined;
}

/** The distribution API of one registry, for one capability call. */
export class RegistryClient {
  constructor(
    readonly registry: RegistryLocation,
    private readonly options: RegistryClientOptions = {},
  ) {}

  /** An absolute URL for a `/v2/...` path or an upload location the registry returned. */
  resolve(path: string): URL {
    return new URL(path, this.registry.origin);
  }

  /** Sends a request, answering auth challenges; throws an OcmError for any status not 2xx or accepted. */
  async send(req: RegistryRequest): Promise<RegistryResponse> {
    const url = this.resolve(req.path);
    const replayable =
      req.body === undefined || typeof req.body === "string" || req.body instanceof Uint8Array;
    let auth = await this.authorizationFor(req.scopes);
    for (let attempt = 0; ; attempt++) {
      const answer = await dispatch(req, url, auth, this.registry.origin, this.options.signal);
      if (answer.status !== 401 || attempt > 0 || !replayable) {
        if ((answer.status >= 200 && answer.status < 300) || req.accept?.includes(answer.status))
          return answer;
        throw await responseError(req.method, answer, hasCredentials(this.options.credentials));
      }
      const challenge = parseChallenge(answer.headers["www-authenticate"]);
      if (challenge === undefined)
        throw await responseError(req.method, answer, hasCredentials(this.options.credentials));
      await answer.body.dump();
      challenges.set(this.registry.origin, challenge);
      forgetToken(this.registry.origin, req.scopes, this.options.credentials);
      auth = await authorization(
        this.registry.origin,
        challenge,
        req.scopes,
        this.options.credentials,
        this.options.signal,
      );
      if (auth === undefined) throw unauthorizedError(req.method, answer.url, 401, undefined, false);
    }
  }

  /** Answers the `/v2/` ping (distribution spec "Determining support"): ok, or the challenge it met. */
  async ping(): Promise<{ status: number; challenge?: Challenge }> {
    const answer = await dispatch(
      { method: "GET", path: "/v2/", scopes: [] },
      this.resolve("/v2/"),
      undefined,
      this.registry.origin,
      this.options.signal,
    );
    await answer.body.dump();
    const challenge = answer.status === 401 ? parseChallenge(answer.headers["www-authenticate"]) : undefined;
    if (challenge !== undefined) challenges.set(this.registry.origin, challenge);
    if (answer.status !== 200 && answer.status !== 401) {
      throw requestFailedError("GET", answer.url, `HTTP ${answer.status}`);
    }
    return { status: answer.status, ...(challenge ? { challenge } : {}) };
  }

  private async authorizationFor(scopes: string[]): Promise<string | undefined> {
    const challenge = challenges.get(this.registry.origin);
    if (!challenge) return undefined;
    return authorization(
      this.registry.origin,
      challenge,
      scopes,
      this.options.credentials,
      this.options.signal,
    );
  }
}
