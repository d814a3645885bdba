import { readdirSync } from "node:fs";
import { join } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { Deployment } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { ConfigMap, Secret, Service, ServiceAccount } from "kubernetes-models/v1";
import { here, type Manifest, readYamlDocuments } from "./kustomize.ts";

/**
 * Validation of rendered manifests with no cluster:
 * - built-in kinds with kubernetes-models (the Kubernetes OpenAPI schemas compiled to validators:
 *   types, required fields, enums, int-or-string); it does not report unknown fields;
 * - CloudNativePG's Cluster and ScheduledBackup and the Barman Cloud plugin's ObjectStore against
 *   the openAPIV3Schema of their CRDs, vendored in infra/schemas (see SOURCES.md), with Ajv, plus
 *   the API server's structural-schema rule that a field the schema does not list is refused.
 */

type Validator = (object: Manifest) => string[];

function builtIn<Data>(Model: new (data: Data) => { validate(): void }): Validator {
  return (object) => {
    try {
      // Safe: the parsed YAML is untyped input, and validate() is exactly what checks it has the model's shape.
      new Model(object as unknown as Data).validate();
      return [];
    } catch (error) {
      return [error instanceof Error ? error.message : String(error)];
    }
  };
}

type Schema = { type?: string; properties?: Record<string, Schema>; items?: Schema; additionalProperties?: Schema | boolean } & Record<
  string,
  unknown
>;

/** Fields present in `value` that the structural schema does not declare (the API server rejects them). */
export function unknownFields(value: unknown, schema: Schema, path = ""): string[] {
  if (schema["x-kubernetes-preserve-unknown-fields"] === true) return [];
  if (Array.isArray(value))
    return schema.items ? value.flatMap((item, i) => unknownFields(item, schema.items as Schema, `${path}/${i}`)) : [];
  if (typeof value !== "object" || value === null) return [];
  const out: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const declared = schema.properties?.[key];
    if (declared) out.push(...unknownFields(child, declared, `${path}/${key}`));
    else if (typeof schema.additionalProperties === "object")
      out.push(...unknownFields(child, schema.additionalProperties, `${path}/${key}`));
    else if (schema.properties && schema.additionalProperties !== true) out.push(`${path}/${key}`);
  }
  return out;
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });

type Crd = { spec: { group: string; names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: Schema } }[] } };

function crdValidators(): Map<string, Validator> {
  const map = new Map<string, Validator>();
  const dir = join(here, "../schemas");
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml"))) {
    for (const doc of readYamlDocuments(join(dir, file))) {
      // A CustomResourceDefinition document, as vendored from the projects' releases.
      const crd = doc as unknown as Crd;
      for (const version of crd.spec.versions) {
        const schema = version.schema.openAPIV3Schema;
        const check: ValidateFunction = ajv.compile(schema);
        map.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, (object) => {
          const errors = check(object) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""}`);
          const { metadata: _metadata, ...rest } = object;
          return [...errors, ...unknownFields(rest, schema).map((p) => `${p}: unknown field`)];
        });
      }
    }
  }
  return map;
}

const validators = new Map<string, Validator>([
  ["v1/ConfigMap", builtIn(ConfigMap)],
  ["v1/Secret", builtIn(Secret)],
  ["v1/Service", builtIn(Service)],
  ["v1/ServiceAccount", builtIn(ServiceAccount)],
  ["apps/v1/Deployment", builtIn(Deployment)],
  ["autoscaling/v2/HorizontalPodAutoscaler", builtIn(HorizontalPodAutoscaler)],
  ["networking.k8s.io/v1/Ingress", builtIn(Ingress)],
  ["policy/v1/PodDisruptionBudget", builtIn(PodDisruptionBudget)],
  ...crdValidators(),
]);

/** Errors of one object; an apiVersion/kind with no schema is an error too. */
export function validateManifest(object: Manifest): string[] {
  const validate = validators.get(`${object.apiVersion}/${object.kind}`);
  if (!validate) return [`no schema for ${object.apiVersion} ${object.kind}`];
  return validate(object);
}
