import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { AUDIT_ACTIONS } from "@samakki/shared/audit";
import { describe, expect, it } from "vitest";

/**
 * The list of audit actions in packages/shared/src/audit.ts is the one the log's filter and
 * sentences use: every action the API records must be in it, and nothing in it may be stale.
 * A grep over the API's source (tests excepted) for the calls of recordAudit.
 */
const src = fileURLToPath(new URL("../../../", import.meta.url));
const listed = new Set<string>(AUDIT_ACTIONS);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return d.name === "__tests__" ? [] : sourceFiles(path);
    return d.name.endsWith(".ts") && !d.name.endsWith(".test.ts") ? [path] : [];
  });
}

/** The argument text of every `recordAudit(…)` call in `text` (balanced parentheses). */
function calls(text: string): string[] {
  const found: string[] = [];
  const re = /\brecordAudit\(/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (/function\s+$/.test(text.slice(Math.max(0, m.index - 10), m.index))) continue;
    let depth = 1;
    let i = m.index + m[0].length;
    for (; i < text.length && depth > 0; i++) {
      if (text[i] === "(") depth++;
      else if (text[i] === ")") depth--;
    }
    found.push(text.slice(m.index + m[0].length, i - 1));
  }
  return found;
}

/** The expression of the `action` property in a call's arguments (`action` alone for the shorthand), or null. */
function actionExpression(args: string): string | null {
  const m = /\baction\b\s*([:,}\n])/.exec(args);
  if (!m) return null;
  if (m[1] !== ":") return "action";
  let depth = 0;
  let quote = "";
  let i = m.index + m[0].length;
  const start = i;
  for (; i < args.length; i++) {
    const ch = args.charAt(i);
    if (quote) {
      if (ch === quote) quote = "";
    } else if (ch === '"' || ch === "`" || ch === "'") quote = ch;
    else if ("([{".includes(ch)) depth++;
    else if (")]}".includes(ch)) {
      if (depth === 0) break;
      depth--;
    } else if (ch === "," && depth === 0) break;
  }
  return args.slice(start, i).trim();
}

type Use = { file: string; literals: string[]; templates: RegExp[]; typedVariable: boolean };

function actionUses(): Use[] {
  const uses: Use[] = [];
  for (const file of sourceFiles(src)) {
    const text = readFileSync(file, "utf8");
    for (const args of calls(text)) {
      const expr = actionExpression(args);
      if (expr === null) throw new Error(`${relative(src, file)}: a recordAudit call without an action: ${args.slice(0, 120)}`);
      // A conditional: its values, not the literals of its condition (`kind === "organisation" ? "a.b" : "c.d"`).
      const values = expr.includes("?") ? expr.slice(expr.indexOf("?") + 1) : expr;
      const literals = [...values.matchAll(/"([^"]*)"/g)].map((l) => l[1] ?? "");
      const templates = [...values.matchAll(/`([^`]*)`/g)].map(
        (l) => new RegExp(`^${(l[1] ?? "").replace(/\./g, "\\.").replace(/\$\{[^}]*\}/g, "[a-z_]+")}$`),
      );
      // A variable (`action,` or `action: someAction`): its declaration must be typed by the shared list.
      const typedVariable = literals.length === 0 && templates.length === 0;
      if (typedVariable && !/\baction\??: AuditAction\b/.test(text))
        throw new Error(`${relative(src, file)}: recordAudit gets a variable action not typed AuditAction: ${expr}`);
      uses.push({ file: relative(src, file), literals, templates, typedVariable });
    }
  }
  return uses;
}

describe("audit actions", () => {
  const uses = actionUses();

  it("finds the API's calls (the grep works)", () => {
    expect(uses.length).toBeGreaterThan(60);
    expect(uses.some((u) => u.templates.length > 0)).toBe(true);
    expect(uses.some((u) => u.typedVariable)).toBe(true);
  });

  it("every action the API records is in the shared list", () => {
    const missing = uses.flatMap((u) => u.literals.filter((a) => !listed.has(a)).map((a) => `${u.file}: ${a}`));
    expect(missing).toEqual([]);
    const unmatched = uses.flatMap((u) =>
      u.templates.filter((re) => !AUDIT_ACTIONS.some((a) => re.test(a))).map((re) => `${u.file}: ${re.source}`),
    );
    expect(unmatched).toEqual([]);
  });

  it("every listed action is recorded somewhere (no stale entry), and none twice", () => {
    const text = sourceFiles(src)
      .map((f) => readFileSync(f, "utf8"))
      .join("\n");
    const templates = uses.flatMap((u) => u.templates);
    const unused = AUDIT_ACTIONS.filter((a) => !text.includes(`"${a}"`) && !templates.some((re) => re.test(a)));
    expect(unused).toEqual([]);
    expect(new Set(AUDIT_ACTIONS).size).toBe(AUDIT_ACTIONS.length);
  });
});
