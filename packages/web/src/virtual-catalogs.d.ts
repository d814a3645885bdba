/** Parts of the shared catalogs, cut by catalog-split.ts (see src/lib/catalogs.ts). */
declare module "virtual:samakki-catalog/*" {
  const catalog: Record<string, unknown>;
  export default catalog;
}
