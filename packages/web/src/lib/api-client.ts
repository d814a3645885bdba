import { hasKhmer } from "@samakki/shared/i18n/khmer-text";
import type { Language } from "@samakki/shared/i18n/translate";
import type { ErrorCode, Problem } from "@samakki/shared/problem";
import { translate } from "./catalogs.ts";
import { Problem as ProblemSchema } from "./first-screen-schemas.ts";
import { khmerFaceReady } from "./khmer-face.ts";

/** An API failure, always carrying an RFC 9457 problem (synthesised when the server sent none). */
export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = "ApiError";
    this.problem = problem;
  }
  get status(): number {
    return this.problem.status;
  }
  get code(): ErrorCode {
    return this.problem.code;
  }
  /** Field errors keyed by input name (the API's `path` matches form field names). */
  get fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) if (!(e.path in out)) out[e.path] = e.message;
    return out;
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

function codeForStatus(status: number): ErrorCode {
  if (status === 400 || status === 422) return "validation_failed";
  if (status === 401) return "unauthenticated";
  if (status === 403) return "forbidden";
  if (status === 404 || status === 410) return "not_found";
  if (status === 409) return "conflict";
  if (status === 413) return "payload_too_large";
  if (status === 415) return "unsupported_media_type";
  if (status === 429) return "rate_limited";
  if (status === 503) return "service_unavailable";
  return "internal";
}

/**
 * A problem's title and detail in `lang`, the page's language now. An answer's problem (status 400
 * and up) has its code's catalog strings as title and detail (the API's lib/problem.ts, and
 * fallbackProblem below), so it is said again from its code: the request may have gone out in the
 * other language (a language switch since). A problem made here for no answer at all (offline,
 * status 0) keeps its own words.
 */
export function problemText(problem: Problem, lang: Language): { title: string; detail: string | undefined } {
  const say = (part: "title" | "detail", given: string | undefined) => {
    if (problem.status < 400) return given;
    const key = `errors.${problem.code}.${part}`;
    const text = translate(lang, key);
    return text === key ? given : text;
  };
  return { title: say("title", problem.title) ?? problem.title, detail: problem.detail ? say("detail", problem.detail) : undefined };
}

/** A problem in the UI language for a failure the server did not describe (proxy error, HTML page, network). */
export function fallbackProblem(status: number, lang: Language, code: ErrorCode = codeForStatus(status)): Problem {
  return {
    type: "about:blank",
    title: translate(lang, `errors.${code}.title`),
    detail: translate(lang, `errors.${code}.detail`),
    status,
    code,
  };
}

/** Read a failed response as a problem; anything that is not valid problem+json becomes a generic one. */
export async function readProblem(res: Response, lang: Language): Promise<Problem> {
  const type = res.headers.get("content-type") ?? "";
  if (type.includes("json")) {
    try {
      const parsed = ProblemSchema.safeParse(await res.json());
      if (parsed.success) return parsed.data;
    } catch {
      // fall through to the generic problem
    }
  }
  return fallbackProblem(res.status, lang);
}

let language: Language = "en";
/** The UI language, sent on every request so the API answers (problem titles, emails) in it. */
export function setRequestLanguage(lang: Language): void {
  language = lang;
}

type ReauthHandler = () => Promise<boolean>;
let reauthHandler: ReauthHandler | null = null;
let pendingReauth: Promise<boolean> | null = null;
/** Registered by the password prompt; resolves true once the person has re-entered their password. */
export function setReauthHandler(handler: ReauthHandler | null): void {
  reauthHandler = handler;
}

let unauthenticatedHandler: ((path: string) => void) | null = null;
/** Called when the session is gone (401 `unauthenticated`), the one place that sends people to sign in. */
export function setUnauthenticatedHandler(handler: ((path: string) => void) | null): void {
  unauthenticatedHandler = handler;
}

let changeNotFoundHandler: (() => void) | null = null;
/**
 * Called when a change the page sends answers 404: the resource may be gone, or this tab may run a
 * release older than the server's, calling an endpoint that moved (lib/pwa.tsx then asks for the
 * new release at once, and offers it).
 */
export function setChangeNotFoundHandler(handler: (() => void) | null): void {
  changeNotFoundHandler = handler;
}

let twoFactorRequiredHandler: (() => void) | null = null;
/** Called on 403 `two_factor_required` (a coalition now requires a second factor), so the app can send the person to set one up. */
export function setTwoFactorRequiredHandler(handler: (() => void) | null): void {
  twoFactorRequiredHandler = handler;
}

type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/**
 * GETs started before the code that reads them has arrived (src/app/preload.ts), so that a page's
 * code and its first data travel together rather than one round trip after another. The first
 * `api.get` of the same path takes the answer if it is recent; any change sent from this tab (a
 * sign-in, an edit) drops them all, so no one reads an answer from before it.
 */
const early = new Map<string, { response: Promise<Response>; arrivedAt?: number }>();
const EARLY_MAX_AGE_MS = 10_000;

export function fetchEarly(path: string): void {
  if (early.has(path)) return;
  const entry: { response: Promise<Response>; arrivedAt?: number } = {
    response: fetch(path, { method: "GET", headers: jsonHeaders(), credentials: "same-origin" }),
  };
  // A failure reaches whoever takes the answer; nobody may take it.
  entry.response.then(
    () => {
      entry.arrivedAt = Date.now();
    },
    () => undefined,
  );
  early.set(path, entry);
}

/** The early answer for `path`: still on its way (however slow the network), or arrived recently. */
function takeEarly(path: string): Promise<Response> | undefined {
  const entry = early.get(path);
  early.delete(path);
  if (!entry) return undefined;
  return entry.arrivedAt === undefined || Date.now() - entry.arrivedAt <= EARLY_MAX_AGE_MS ? entry.response : undefined;
}

function jsonHeaders(): Record<string, string> {
  return { Accept: "application/json", "X-Samakki-Language": language };
}

/**
 * Headers of one request beside the usual ones: `If-Match` with an edit's revision
 * (lib/edit-conflict.tsx); `Idempotency-Key` with a form's submission (withIdempotencyKey).
 */
export type RequestHeaders = { "If-Match"?: string; "Idempotency-Key"?: string };

let pendingKey: string | undefined;

/**
 * Runs `start` (a form's action) with `key` as the Idempotency-Key of the first POST it sends
 * before its first await: the API then does that POST once however often it is sent with the key,
 * and answers a repeat with the first answer (the API's modules/idempotency). A form passes the same
 * key when the same submission is sent again after a failure, so that a request whose answer was
 * lost on a slow network is not applied twice (components/Form.tsx).
 */
export function withIdempotencyKey<T>(key: string, start: () => T): T {
  pendingKey = key;
  try {
    return start();
  } finally {
    pendingKey = undefined;
  }
}

/** A new Idempotency-Key: 128 random bits in hex (crypto.randomUUID needs a secure context; this does not). */
export function newIdempotencyKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

async function send(
  method: Method,
  path: string,
  body: unknown,
  retried: boolean,
  as: "json" | "blob" = "json",
  extra: RequestHeaders = {},
): Promise<unknown> {
  if (method === "POST" && pendingKey !== undefined && extra["Idempotency-Key"] === undefined) {
    extra = { ...extra, "Idempotency-Key": pendingKey };
    pendingKey = undefined;
  }
  const headers: Record<string, string> = { ...jsonHeaders(), ...(as === "blob" ? { Accept: "*/*" } : {}), ...extra };
  const init: RequestInit = { method, headers, credentials: "same-origin" };
  if (method !== "GET") {
    // The API's CSRF check wants a JSON content type on every mutation, so always send a body.
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body ?? {});
    early.clear();
  }
  let res: Response;
  try {
    res = await ((method === "GET" && as === "json" && !retried && takeEarly(path)) || fetch(path, init));
  } catch {
    const problem = fallbackProblem(0, language, "internal");
    throw new ApiError({
      ...problem,
      title: translate(language, "common.offlineTitle"),
      detail: translate(language, "common.offlineDetail"),
    });
  }
  if (!res.ok) {
    const problem = await readProblem(res, language);
    if (problem.code === "reauthentication_required" && !retried && reauthHandler) {
      pendingReauth ??= reauthHandler().finally(() => {
        pendingReauth = null;
      });
      if (await pendingReauth) return send(method, path, body, true, as, extra);
    }
    // The key went with another submission (the form's body changed in a way it did not see): a new one.
    if (problem.code === "idempotency_key_reused" && !retried)
      return send(method, path, body, true, as, { ...extra, "Idempotency-Key": newIdempotencyKey() });
    if (problem.code === "unauthenticated") unauthenticatedHandler?.(path);
    if (problem.code === "two_factor_required") twoFactorRequiredHandler?.();
    if (res.status === 404 && method !== "GET") changeNotFoundHandler?.();
    throw new ApiError(problem);
  }
  // Served by the service worker from what it kept (src/sw/sw.ts): when, for the offline bar (lib/pwa.tsx).
  if (method === "GET") globalThis.document?.documentElement.setAttribute("data-stored-at", res.headers.get("x-samakki-stored-at") ?? "");
  if (as === "blob") return res.blob();
  if (res.status === 204 || res.status === 202 || res.headers.get("content-length") === "0") return undefined;
  const text = await res.text();
  // Khmer in the answer: drawn once its face is there, so that nothing it wraps moves when it comes.
  if (hasKhmer(text)) await khmerFaceReady();
  return text ? JSON.parse(text) : undefined;
}

/**
 * A request body: a JSON object. Feature functions type theirs with the shared input schema of the
 * route (`z.input<typeof CreateTaskInput>` from @samakki/shared), so a body the API would refuse
 * for its shape does not compile.
 */
type RequestBody = object;
type NoBody = Record<string, never>;

/**
 * What validates an answer: a shared zod schema, or a zod/mini one on the first screen
 * (first-screen-schemas.ts). Both throw on an answer that does not match.
 */
type Schema<T> = { parse(value: unknown): T };

/** Every call either validates the answer with a shared schema or ignores the body. */
export const api = {
  get<T>(path: string, schema: Schema<T>): Promise<T> {
    return send("GET", path, undefined, false).then((v) => schema.parse(v));
  },
  post<B extends RequestBody = NoBody>(path: string, body?: B): Promise<void> {
    return send("POST", path, body, false).then(() => undefined);
  },
  postFor<T, B extends RequestBody = NoBody>(path: string, body: B, schema: Schema<T>, headers?: RequestHeaders): Promise<T> {
    return send("POST", path, body, false, "json", headers).then((v) => schema.parse(v));
  },
  patch<B extends RequestBody>(path: string, body: B): Promise<void> {
    return send("PATCH", path, body, false).then(() => undefined);
  },
  patchFor<T, B extends RequestBody>(path: string, body: B, schema: Schema<T>, headers?: RequestHeaders): Promise<T> {
    return send("PATCH", path, body, false, "json", headers).then((v) => schema.parse(v));
  },
  put<B extends RequestBody = NoBody>(path: string, body?: B): Promise<void> {
    return send("PUT", path, body, false).then(() => undefined);
  },
  putFor<T, B extends RequestBody>(path: string, body: B, schema: Schema<T>): Promise<T> {
    return send("PUT", path, body, false).then((v) => schema.parse(v));
  },
  delete<B extends RequestBody = NoBody>(path: string, body?: B): Promise<void> {
    return send("DELETE", path, body ?? {}, false).then(() => undefined);
  },
  /** A file (an export), as a Blob; a sensitive one asks for the password first, like any request. */
  download(path: string): Promise<Blob> {
    return send("GET", path, undefined, false, "blob").then((v) => {
      if (!(v instanceof Blob)) throw new Error("not a file");
      return v;
    });
  },
};

/** Build a query string from defined, non-empty values. */
export function withQuery(path: string, query: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}
