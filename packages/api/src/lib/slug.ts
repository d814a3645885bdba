/** A URL slug from a name; names with no Latin letters (e.g. Khmer only) fall back to `fallback`. */
export function slugify(name: string, fallback = "coalition"): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/g, "");
  return slug || fallback;
}
