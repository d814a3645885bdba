import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validateManifest } from "./k8s-validate.ts";
import { build, here, type Manifest, readYamlDocuments } from "./kustomize.ts";

/** Issue 12, item 5: every manifest of infra/k8s, as rendered, against the Kubernetes and CRD schemas. */

const k8s = join(here, "../k8s");
const rendered = { base: build(join(k8s, "base")), production: build(join(k8s, "overlays/production")) };

// Typed access to the rendered objects' fields under test (plain parsed YAML).
// biome-ignore lint/suspicious/noExplicitAny: test-only navigation of parsed YAML
type Any = any;
function find(objects: Manifest[], kind: string, name?: string): Any {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  expect(found, `${kind} ${name ?? ""}`).toHaveLength(1);
  return found[0];
}

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

describe.each(Object.entries(rendered))("infra/k8s %s", (_name, objects) => {
  it("renders the app, its database and backups", () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      "Cluster/samakki-db",
      "ConfigMap/samakki-config",
      "Deployment/samakki",
      "HorizontalPodAutoscaler/samakki",
      "Ingress/samakki",
      "ObjectStore/samakki-backups",
      "PodDisruptionBudget/samakki",
      "ScheduledBackup/samakki-db-nightly",
      "Service/samakki",
      "ServiceAccount/samakki",
    ]);
  });

  it("validates every object against its schema (Kubernetes, or the vendored CRD)", () => {
    const errors = objects.flatMap((o) => validateManifest(o).map((e) => `${o.kind}/${o.metadata.name}: ${e}`));
    expect(errors).toEqual([]);
  });

  it("runs at least 2 replicas with probes on /readyz and /healthz, resources, and a non-root read-only container", () => {
    const deployment = find(objects, "Deployment", "samakki");
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    const pod = deployment.spec.template.spec;
    const [container] = pod.containers;
    expect(container.readinessProbe.httpGet.path).toBe("/readyz");
    expect(container.livenessProbe.httpGet.path).toBe("/healthz");
    expect(container.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container.resources.limits.memory).toEqual(expect.any(String));
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(10_000 + 5_000);
  });

  it("has Prometheus scrape the metrics port (METRICS_PORT), which the Service does not publish", () => {
    const deployment = find(objects, "Deployment", "samakki");
    const annotations = deployment.spec.template.metadata.annotations;
    expect(annotations["prometheus.io/scrape"]).toBe("true");
    expect(annotations["prometheus.io/path"]).toBe("/metrics");
    const metricsPort = find(objects, "ConfigMap", "samakki-config").data.METRICS_PORT;
    expect(annotations["prometheus.io/port"]).toBe(metricsPort);
    const ports = deployment.spec.template.spec.containers[0].ports;
    expect(ports.find((p: Any) => p.name === "metrics")?.containerPort).toBe(Number(metricsPort));
    expect(find(objects, "Service").spec.ports.map((p: Any) => p.targetPort)).not.toContain("metrics");
  });

  it("wires Service, Ingress, PDB and HPA to the Deployment", () => {
    const deployment = find(objects, "Deployment", "samakki");
    const podLabels = deployment.spec.template.metadata.labels;
    expect(matches(deployment.spec.selector.matchLabels, podLabels)).toBe(true);
    const service = find(objects, "Service");
    expect(matches(service.spec.selector, podLabels)).toBe(true);
    const containerPorts = deployment.spec.template.spec.containers[0].ports.map((p: Any) => p.name);
    expect(containerPorts).toContain(service.spec.ports[0].targetPort);
    const ingress = find(objects, "Ingress");
    const backend = ingress.spec.rules[0].http.paths[0].backend.service;
    expect(backend.name).toBe(service.metadata.name);
    expect(service.spec.ports.map((p: Any) => p.name)).toContain(backend.port.name);
    expect(ingress.spec.tls[0].hosts).toContain(ingress.spec.rules[0].host);
    expect(matches(find(objects, "PodDisruptionBudget").spec.selector.matchLabels, podLabels)).toBe(true);
    const hpa = find(objects, "HorizontalPodAutoscaler");
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: "samakki" });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
  });

  it("takes the database from a CloudNativePG Cluster with a standby and continuous backups; secrets only by reference", () => {
    const cluster = find(objects, "Cluster");
    expect(cluster.spec.instances).toBeGreaterThanOrEqual(2);
    const archiver = cluster.spec.plugins.find((p: Any) => p.isWALArchiver);
    expect(archiver.name).toBe("barman-cloud.cloudnative-pg.io");
    find(objects, "ObjectStore", archiver.parameters.barmanObjectName);
    expect(find(objects, "ScheduledBackup").spec.cluster.name).toBe(cluster.metadata.name);
    const deployment = find(objects, "Deployment", "samakki");
    const env: Any[] = deployment.spec.template.spec.containers[0].env;
    const databaseUrl = env.find((e) => e.name === "DATABASE_URL");
    expect(databaseUrl.valueFrom.secretKeyRef).toEqual({ name: `${cluster.metadata.name}-app`, key: "uri" });
    expect(env.find((e) => e.name === "RESEND_API_KEY").valueFrom.secretKeyRef.name).toBe("samakki-email");
    expect(env.find((e) => e.name === "COUNTER_KEY").valueFrom.secretKeyRef.name).toBe("samakki-counter");
    // No Secret is committed, and no secret setting is written as a value.
    expect(objects.filter((o) => o.kind === "Secret")).toEqual([]);
    const config = find(objects, "ConfigMap", "samakki-config").data;
    for (const key of ["DATABASE_URL", "RESEND_API_KEY", "COUNTER_KEY"]) expect(config[key]).toBeUndefined();
    // Connections: every pod's pool, and its health probe's connection, at the HPA's maximum stays under PostgreSQL's max_connections.
    const maxPods = find(objects, "HorizontalPodAutoscaler").spec.maxReplicas;
    expect(maxPods * (Number(config.DATABASE_POOL_SIZE) + 1)).toBeLessThan(Number(cluster.spec.postgresql.parameters.max_connections) - 10);
    expect(config).toMatchObject({ HOST: "0.0.0.0", TRUST_PROXY: "true", NODE_ENV: "production" });
  });
});

describe("the production overlay", () => {
  it("sets a real image tag, the namespace, and more replicas and standbys than the base", () => {
    const deployment = find(rendered.production, "Deployment", "samakki");
    const image: string = deployment.spec.template.spec.containers[0].image;
    expect(image).toMatch(/^[^:]+\/samakki:[0-9A-Za-z._-]+$/);
    expect(image.endsWith(":latest")).toBe(false);
    expect(new Set(rendered.production.map((o) => o.metadata.namespace))).toEqual(new Set(["samakki"]));
    expect(deployment.spec.replicas).toBeGreaterThan(find(rendered.base, "Deployment", "samakki").spec.replicas);
    expect(find(rendered.production, "Cluster").spec.instances).toBe(3);
    // The patch kept what it did not mention (probes, env, the strategic merge of containers by name).
    expect(deployment.spec.template.spec.containers).toHaveLength(1);
    expect(deployment.spec.template.spec.containers[0].readinessProbe.httpGet.path).toBe("/readyz");
    expect(deployment.spec.template.spec.containers[0].env.map((e: Any) => e.name)).toEqual([
      "DATABASE_URL",
      "RESEND_API_KEY",
      "COUNTER_KEY",
    ]);
  });
});

describe("infra/k8s/examples", () => {
  it("restore-cluster.yaml is a valid Cluster that recovers from samakki-db's archive into its own", () => {
    const [restore] = readYamlDocuments(join(k8s, "examples/restore-cluster.yaml")) as Any[];
    expect(validateManifest(restore)).toEqual([]);
    const cluster = find(rendered.production, "Cluster");
    const source = restore.spec.externalClusters.find((c: Any) => c.name === restore.spec.bootstrap.recovery.source);
    expect(source.plugin.parameters).toEqual({ barmanObjectName: "samakki-backups", serverName: cluster.metadata.name });
    expect(restore.spec.plugins[0].parameters.serverName).not.toBe(cluster.metadata.name);
  });
});

describe("the validators can fail", () => {
  const base = rendered.base;
  it("a Deployment with a wrong type", () => {
    const deployment = find(base, "Deployment", "samakki");
    const broken = { ...deployment, spec: { ...deployment.spec, replicas: "two" } };
    expect(validateManifest(broken).join()).toContain("replicas must be integer");
  });
  it("a Cluster with a misspelt field, a wrong type or a missing required field", () => {
    const cluster = find(base, "Cluster");
    expect(validateManifest({ ...cluster, spec: { ...cluster.spec, instance: 2 } })).toContain("/spec/instance: unknown field");
    expect(validateManifest({ ...cluster, spec: { ...cluster.spec, instances: "2" } }).join()).toContain("/spec/instances must be integer");
    const { plugins: _plugins, ...noPlugins } = cluster.spec;
    expect(validateManifest({ ...cluster, spec: { ...noPlugins, plugins: [{ isWALArchiver: true }] } }).join()).toContain(
      "must have required property 'name'",
    );
  });
  it("a kind with no schema", () => {
    expect(validateManifest({ apiVersion: "example.org/v1", kind: "Thing", metadata: { name: "x" } })).toEqual([
      "no schema for example.org/v1 Thing",
    ]);
  });
});
