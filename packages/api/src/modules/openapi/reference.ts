import { translate } from "@samakki/shared/i18n/index";
import type { ErrorCode } from "@samakki/shared/problem";
import { ErrorCode as ErrorCodes } from "@samakki/shared/problem";
import { escapeHtml } from "../../lib/html.ts";

type Doc = {
  info: { title: string; description?: string | undefined; version: string };
  paths?: Record<string, Record<string, Operation>> | undefined;
};
type Operation = {
  summary?: string;
  tags?: string[];
  security?: unknown[];
  "x-policy"?: string;
  "x-recent-auth"?: boolean;
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string }>;
};

/** A readable, script-free API reference generated from the OpenAPI document. */
export function renderApiReference(document: unknown): string {
  // The generator's output is a plain OpenAPI 3.1 object; we read only the fields typed in `Doc`.
  const doc = document as Doc;
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = op.tags?.[0] ?? "Other";
      const schema = op.requestBody?.content?.["application/json"]?.schema;
      const responses = Object.entries(op.responses ?? {})
        .map(([status, r]) => `<li><code>${escapeHtml(status)}</code> ${escapeHtml(r.description ?? "")}</li>`)
        .join("");
      const html = `<section class="op" id="${escapeHtml(`${method}-${path}`)}">
        <h3><span class="m m-${escapeHtml(method)}">${escapeHtml(method.toUpperCase())}</span> <code>${escapeHtml(path)}</code></h3>
        <p>${escapeHtml(op.summary ?? "")}</p>
        <p class="policy">Policy: <strong>${escapeHtml(op["x-policy"] ?? "unknown")}</strong>${op["x-recent-auth"] ? " · needs a recent authentication (POST /api/auth/reauthenticate)" : ""}</p>
        ${schema ? `<details><summary>Request body</summary><pre>${escapeHtml(JSON.stringify(schema, null, 2))}</pre></details>` : ""}
        <ul class="responses">${responses}</ul>
      </section>`;
      byTag.set(tag, [...(byTag.get(tag) ?? []), html]);
    }
  }
  const errors = ErrorCodes.options
    .map(
      (code: ErrorCode) =>
        `<tr id="error-${code}"><td><code>${code}</code></td><td>${escapeHtml(translate("en", `errors.${code}.title`))}</td><td>${escapeHtml(translate("en", `errors.${code}.detail`))}</td></tr>`,
    )
    .join("");
  const sections = [...byTag.entries()].map(([tag, ops]) => `<h2 id="${escapeHtml(tag)}">${escapeHtml(tag)}</h2>${ops.join("")}`).join("");
  const nav = [...byTag.keys()].map((tag) => `<a href="#${escapeHtml(tag)}">${escapeHtml(tag)}</a>`).join(" · ");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.info.title)}</title>
<link rel="stylesheet" href="/api/docs.css"></head><body><main>
<h1>${escapeHtml(doc.info.title)} <small>${escapeHtml(doc.info.version)}</small></h1>
<p>${escapeHtml(doc.info.description ?? "")}</p><p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a></p>
<nav>${nav} · <a href="#errors">Errors</a></nav>${sections}
<h2 id="errors">Error codes</h2><table><thead><tr><th>code</th><th>title</th><th>detail</th></tr></thead><tbody>${errors}</tbody></table>
</main></body></html>`;
}

export const REFERENCE_CSS = `body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d2327;background:#fafafa}main{max-width:960px;margin:auto;padding:1rem}
.op{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.5rem 1rem;margin:.75rem 0}.op h3{margin:.25rem 0;font-size:1rem}
.m{display:inline-block;min-width:4.5em;font:bold 12px monospace;padding:2px 6px;border-radius:4px;background:#ddd}.m-get{background:#d7ecff}.m-post{background:#d9f5dc}.m-patch{background:#fff1c2}.m-delete{background:#ffd9d9}
pre{overflow:auto;background:#f4f4f4;padding:.5rem;font-size:12px}.policy{color:#555;font-size:.9em}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}`;
