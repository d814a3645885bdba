import { readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseAllDocuments } from "yaml";

/**
 * The part of `kustomize build` these manifests use, so CI can check the rendered objects without
 * the kustomize binary: `resources` (files and directories with a kustomization.yaml), `labels`
 * (pairs, added to metadata.labels), `namespace`, `images` (newName/newTag) and `patches` given
 * by `path` (a strategic-merge patch whose kind and name pick its target). Anything else in a
 * kustomization.yaml is refused, so the check cannot silently diverge from the real tool.
 */

export type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
} & Record<string, unknown>;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const SUPPORTED = new Set(["apiVersion", "kind", "resources", "labels", "namespace", "images", "patches"]);

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function readYamlDocuments(file: string): JsonObject[] {
  return parseAllDocuments(readFileSync(file, "utf8")).map((doc) => {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join("; ")}`);
    const value: unknown = doc.toJS();
    if (!isObject(value)) throw new Error(`${file}: a document is not a mapping`);
    return value;
  });
}

function asManifest(value: JsonObject, where: string): Manifest {
  const metadata = value.metadata;
  if (typeof value.apiVersion !== "string" || typeof value.kind !== "string" || !isObject(metadata) || typeof metadata.name !== "string") {
    throw new Error(`${where}: apiVersion, kind and metadata.name are required`);
  }
  // Checked just above: the shape Manifest names.
  return value as Manifest;
}

/** List merge keys of the strategic merge patch, for the lists these manifests patch. */
const MERGE_KEYS: Record<string, string> = {
  containers: "name",
  initContainers: "name",
  env: "name",
  volumes: "name",
  volumeMounts: "mountPath",
  ports: "containerPort",
  topologySpreadConstraints: "topologyKey",
};

function merge(base: Json, patch: Json, key: string | undefined, builtIn: boolean): Json {
  if (isObject(base) && isObject(patch)) {
    const out: JsonObject = { ...base };
    for (const [k, v] of Object.entries(patch)) {
      out[k] = k in base && base[k] !== undefined ? merge(base[k] as Json, v, k, builtIn) : v;
    }
    return out;
  }
  // Built-in kinds merge some lists by key; custom resources (JSON merge patch) replace lists.
  const mergeKey = key && builtIn ? MERGE_KEYS[key] : undefined;
  if (Array.isArray(base) && Array.isArray(patch) && mergeKey) {
    const out = [...base];
    for (const item of patch) {
      const index = isObject(item) ? out.findIndex((b) => isObject(b) && b[mergeKey] === item[mergeKey]) : -1;
      if (index >= 0) out[index] = merge(out[index] as Json, item, undefined, builtIn);
      else out.push(item);
    }
    return out;
  }
  return patch;
}

const BUILT_IN_GROUPS = /^(v1|apps\/v1|policy\/v1|autoscaling\/v2|networking\.k8s\.io\/v1|batch\/v1)$/;

export function build(dir: string): Manifest[] {
  const [kustomization] = readYamlDocuments(join(dir, "kustomization.yaml"));
  if (!kustomization) throw new Error(`${dir}: empty kustomization.yaml`);
  for (const key of Object.keys(kustomization)) {
    if (!SUPPORTED.has(key)) throw new Error(`${dir}/kustomization.yaml: "${key}" is not supported by this check`);
  }
  let objects: Manifest[] = [];
  for (const resource of (kustomization.resources as string[] | undefined) ?? []) {
    const path = join(dir, resource);
    if (statSync(path).isDirectory()) objects.push(...build(path));
    else objects.push(...readYamlDocuments(path).map((doc) => asManifest(doc, path)));
  }
  for (const entry of (kustomization.labels as { pairs: Record<string, string> }[] | undefined) ?? []) {
    objects = objects.map((o) => ({ ...o, metadata: { ...o.metadata, labels: { ...o.metadata.labels, ...entry.pairs } } }));
  }
  for (const patchEntry of (kustomization.patches as { path?: string }[] | undefined) ?? []) {
    if (!patchEntry.path || Object.keys(patchEntry).length !== 1) throw new Error(`${dir}: only patches with a path are supported`);
    const file = join(dir, patchEntry.path);
    for (const doc of readYamlDocuments(file)) {
      const patch = asManifest(doc, file);
      const index = objects.findIndex((o) => o.kind === patch.kind && o.metadata.name === patch.metadata.name);
      const target = objects[index];
      if (!target) throw new Error(`${file}: no ${patch.kind} named ${patch.metadata.name} to patch`);
      if (target.apiVersion !== patch.apiVersion)
        throw new Error(`${file}: apiVersion ${patch.apiVersion} differs from ${target.apiVersion}`);
      objects[index] = asManifest(
        merge(
          target as unknown as JsonObject,
          patch as unknown as JsonObject,
          undefined,
          BUILT_IN_GROUPS.test(target.apiVersion),
        ) as JsonObject,
        file,
      );
    }
  }
  const namespace = kustomization.namespace;
  if (typeof namespace === "string") objects = objects.map((o) => ({ ...o, metadata: { ...o.metadata, namespace } }));
  for (const image of (kustomization.images as { name: string; newName?: string; newTag?: string }[] | undefined) ?? []) {
    objects = objects.map((o) => setImages(o, image));
  }
  return objects;
}

function setImages(object: Manifest, image: { name: string; newName?: string; newTag?: string }): Manifest {
  const walk = (value: Json, key?: string): Json => {
    if (Array.isArray(value)) return value.map((v) => walk(v, key));
    if (!isObject(value)) return value;
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, k);
    if ((key === "containers" || key === "initContainers") && typeof out.image === "string") {
      // The tag follows the last ":" after the last "/" (a registry may have a port).
      const tagAt = out.image.lastIndexOf(":") > out.image.lastIndexOf("/") ? out.image.lastIndexOf(":") : out.image.length;
      const name = out.image.slice(0, tagAt);
      const tag = out.image.slice(tagAt + 1) || undefined;
      if (name === image.name) out.image = `${image.newName ?? name}:${image.newTag ?? tag ?? "latest"}`;
    }
    return out;
  };
  return walk(object as unknown as JsonObject) as unknown as Manifest;
}

export const here = dirname(new URL(import.meta.url).pathname);
