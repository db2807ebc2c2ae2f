/**
 * manifests/kubernetes: every YAML parses; each overlay, built the way `kubectl apply -k` builds it,
 * has the probes, resources and locked-down security context the bot needs, the shape it claims
 * (Socket Mode: one replica on a volume, Recreate; HTTP mode: several replicas, a Service,
 * PostgreSQL), an RRSA-ready ServiceAccount, and only environment variables the bot knows.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";
import {
  type KubeObject,
  kustomizeBuild,
  readYamlDocuments,
  strategicMerge,
  yamlFilesUnder,
} from "./kustomize.js";

const repo = resolve(import.meta.dirname, "../..");
const k8s = join(repo, "manifests/kubernetes");
const OVERLAYS = ["socket-mode", "http-mode"] as const;
const POD_LABELS = { "app.kubernetes.io/name": "rds-backup-bot" };

/** The variables the bot reads: the keys of the schema in src/config.ts. */
function configVariables(): Set<string> {
  const source = readFileSync(join(repo, "src/config.ts"), "utf8");
  const schema = source.slice(source.indexOf("const schema = z.object({"));
  const body = schema.slice(0, schema.indexOf("\n});"));
  return new Set([...body.matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1] ?? ""));
}

/** The variables of the contract's configuration table, when shared/ sits beside the repo. */
function contractVariables(): Set<string> | undefined {
  const contract = resolve(repo, "../shared/docs/contract.md");
  if (!existsSync(contract)) return undefined;
  const text = readFileSync(contract, "utf8");
  const table = text.slice(text.indexOf("## Configuration"), text.indexOf("## Slack surface"));
  return new Set(
    [...table.matchAll(/^\| (`[A-Z_]+`(?:, `[A-Z_]+`)*) \|/gm)].flatMap((m) =>
      [...(m[1] ?? "").matchAll(/`([A-Z_]+)`/g)].map((v) => v[1] ?? ""),
    ),
  );
}

const build = Object.fromEntries(
  OVERLAYS.map((overlay) => [overlay, kustomizeBuild(join(k8s, overlay))]),
) as Record<(typeof OVERLAYS)[number], KubeObject[]>;
const secretExample = readYamlDocuments(join(k8s, "base/secret.example.yaml"))[0] as KubeObject;

function one(objects: KubeObject[], kind: string, name?: string): KubeObject {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
  expect(found, `${kind}${name ? `/${name}` : ""}`).toHaveLength(1);
  return found[0] as KubeObject;
}

function container(deployment: KubeObject): KubeObject {
  const containers = deployment.spec.template.spec.containers as KubeObject[];
  expect(containers).toHaveLength(1);
  return containers[0] as KubeObject;
}

/** Keys in the file, commented-out ones included (`# NAME: value`), so examples stay honest too. */
function keysWritten(file: string, section: "data" | "stringData"): string[] {
  const text = readFileSync(file, "utf8");
  const after = text.slice(text.indexOf(`\n${section}:`));
  return [...after.matchAll(/^ {2}#? ?([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1] ?? "");
}

describe("the Kubernetes manifests", () => {
  it("are all valid YAML objects with apiVersion, kind and a name", () => {
    const files = yamlFilesUnder(k8s);
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const file of files) {
      for (const object of readYamlDocuments(file)) {
        const where = relative(repo, file);
        expect(typeof object.apiVersion, where).toBe("string");
        expect(typeof object.kind, where).toBe("string");
        if (object.kind !== "Kustomization") expect(typeof object.metadata?.name, where).toBe("string");
      }
    }
  });

  it("name only variables the bot reads (the contract's), in the ConfigMap, the Secret and the Deployment", () => {
    const known = configVariables();
    expect(known.has("SLACK_BOT_TOKEN")).toBe(true);

    const named = new Set<string>([
      ...keysWritten(join(k8s, "base/configmap.yaml"), "data"),
      ...keysWritten(join(k8s, "base/secret.example.yaml"), "stringData"),
      ...Object.keys(secretExample.stringData ?? {}),
    ]);
    for (const overlay of OVERLAYS) {
      for (const object of build[overlay]) {
        if (object.kind === "ConfigMap") for (const key of Object.keys(object.data ?? {})) named.add(key);
        for (const c of object.spec?.template?.spec?.containers ?? [])
          for (const variable of c.env ?? []) named.add(variable.name);
      }
    }
    expect([...named].filter((name) => !known.has(name))).toEqual([]);
    const contract = contractVariables();
    if (contract) expect([...named].filter((name) => !contract.has(name))).toEqual([]);
    // The essentials are there to fill in.
    for (const name of [
      "SLACK_BOT_TOKEN",
      "SLACK_APP_TOKEN",
      "SLACK_SIGNING_SECRET",
      "DATABASE_URL",
      "APPROVAL_CHANNEL_ID",
    ])
      expect(named.has(name), name).toBe(true);
  });

  it("keep the Secret an example: placeholders only, and out of what kustomize applies", () => {
    expect(secretExample.kind).toBe("Secret");
    for (const [key, value] of Object.entries(secretExample.stringData ?? {}))
      expect(String(value), key).toMatch(/REPLACE-ME/);
    const text = readFileSync(join(k8s, "base/secret.example.yaml"), "utf8");
    for (const line of text.split("\n").filter((l) => /^\s*#?\s*[A-Z_]+: /.test(l)))
      expect(line).toMatch(/REPLACE-ME/);
    for (const overlay of OVERLAYS) expect(build[overlay].filter((o) => o.kind === "Secret")).toEqual([]);
  });

  for (const overlay of OVERLAYS) {
    describe(overlay, () => {
      const objects = build[overlay];
      const deployment = one(objects, "Deployment", "rds-backup-bot");
      const pod = deployment.spec.template.spec as KubeObject;
      const bot = container(deployment);
      const configMap = one(objects, "ConfigMap", "rds-backup-bot");

      it("probes /healthz for liveness and start-up, /readyz for readiness, on the container's port", () => {
        const port = (bot.ports as KubeObject[]).find((p) => p.name === "http");
        expect(port?.containerPort).toBe(Number(configMap.data.PORT ?? 3000));
        expect(bot.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
        expect(bot.startupProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
        expect(bot.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "http" });
        // /readyz waits up to 2 s for the store; the probe must wait longer.
        expect(bot.readinessProbe.timeoutSeconds).toBeGreaterThan(2);
      });

      it("asks for resources and limits them", () => {
        expect(bot.resources.requests.cpu).toBeDefined();
        expect(bot.resources.requests.memory).toBeDefined();
        expect(bot.resources.limits.memory).toBeDefined();
      });

      it("runs as a non-root user with a read-only root filesystem, no privilege escalation, no capabilities", () => {
        expect(pod.securityContext.runAsNonRoot).toBe(true);
        expect(pod.securityContext.runAsUser).toBe(1000); // the image's `node` user
        expect(pod.securityContext.seccompProfile).toEqual({ type: "RuntimeDefault" });
        expect(bot.securityContext).toMatchObject({
          runAsNonRoot: true,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ["ALL"] },
        });
        expect(bot.securityContext.privileged ?? false).toBe(false);
        expect(pod.automountServiceAccountToken).toBe(false);
      });

      it("mounts writable volumes at /app/data and /tmp", () => {
        const volumes = new Map((pod.volumes as KubeObject[]).map((v) => [v.name, v]));
        for (const path of ["/app/data", "/tmp"]) {
          const mount = (bot.volumeMounts as KubeObject[]).find((m) => m.mountPath === path);
          expect(mount, path).toBeDefined();
          expect(mount?.readOnly ?? false).toBe(false);
          const volume = volumes.get(mount?.name) as KubeObject;
          expect(
            Boolean(volume?.emptyDir) !== Boolean(volume?.persistentVolumeClaim),
            `${path}: one volume source`,
          ).toBe(true);
        }
        const policy = volumes.get("policy");
        expect(policy?.configMap).toMatchObject({ optional: true });
      });

      it("reads its configuration from the ConfigMap and the Secret, and the ConfigMap is valid", () => {
        expect(bot.envFrom).toEqual([
          { configMapRef: { name: "rds-backup-bot" } },
          { secretRef: { name: secretExample.metadata.name } },
        ]);
        const secrets =
          overlay === "socket-mode"
            ? { SLACK_BOT_TOKEN: "xoxb-1-valid", SLACK_APP_TOKEN: "xapp-1-valid" }
            : {
                SLACK_BOT_TOKEN: "xoxb-1-valid",
                SLACK_SIGNING_SECRET: "0123456789abcdef0123",
                DATABASE_URL: "postgres://bot:pw@db:5432/bot",
              };
        const config = parseConfig({ ...configMap.data, ...secrets });
        expect(config.slack.mode).toBe(overlay === "socket-mode" ? "socket" : "http");
      });

      it("stops gracefully: a preStop pause and time for the bot's own 25 s bound", () => {
        expect(bot.lifecycle.preStop.exec.command[0]).toBe("node"); // no shell or sleep binary assumed
        expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(5 + 25);
      });

      it("uses a ServiceAccount ready for RRSA in a namespace with injection on", () => {
        const account = one(objects, "ServiceAccount", pod.serviceAccountName);
        expect(account.metadata.annotations["pod-identity.alibabacloud.com/role-name"]).toMatch(
          /^[A-Za-z0-9.-]+$/,
        );
        const namespace = one(objects, "Namespace");
        expect(namespace.metadata.labels["pod-identity.alibabacloud.com/injection"]).toBe("on");
        for (const object of objects.filter((o) => o.kind !== "Namespace"))
          expect(object.metadata.namespace, `${object.kind}/${object.metadata.name}`).toBe(
            namespace.metadata.name,
          );
      });

      it("has a PodDisruptionBudget for the pods that never blocks a drain", () => {
        const pdb = one(objects, "PodDisruptionBudget");
        expect(pdb.spec.selector.matchLabels).toEqual(POD_LABELS);
        expect(deployment.spec.template.metadata.labels).toMatchObject(POD_LABELS);
        expect(deployment.spec.selector.matchLabels).toEqual(POD_LABELS);
        expect(pdb.spec.maxUnavailable).toBe(1);
        expect(pdb.spec.minAvailable).toBeUndefined();
      });
    });
  }

  it("socket-mode: one replica, Recreate, SQLite on a PersistentVolumeClaim, no Service", () => {
    const objects = build["socket-mode"];
    const deployment = one(objects, "Deployment");
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy).toEqual({ type: "Recreate" });
    const data = (deployment.spec.template.spec.volumes as KubeObject[]).find((v) => v.name === "data");
    expect(data?.emptyDir).toBeUndefined();
    const claim = one(objects, "PersistentVolumeClaim", data?.persistentVolumeClaim?.claimName);
    expect(claim.spec.accessModes).toEqual(["ReadWriteOnce"]);
    expect(one(objects, "ConfigMap").data.DATABASE_URL).toBeUndefined(); // the image's /app/data default
    expect(objects.filter((o) => o.kind === "Service")).toEqual([]);
  });

  it("http-mode: several replicas rolling without downtime, a Service, PostgreSQL required", () => {
    const objects = build["http-mode"];
    const deployment = one(objects, "Deployment");
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(deployment.spec.strategy).toEqual({
      type: "RollingUpdate",
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    });
    const bot = container(deployment);
    expect(bot.env).toContainEqual({
      name: "DATABASE_URL",
      valueFrom: { secretKeyRef: { name: "rds-backup-bot", key: "DATABASE_URL" } },
    });
    const service = one(objects, "Service", "rds-backup-bot");
    expect(service.spec.selector).toEqual(POD_LABELS);
    expect(service.spec.ports.map((p: KubeObject) => p.targetPort)).toEqual(["http"]);
    expect(readFileSync(join(k8s, "base/secret.example.yaml"), "utf8")).toMatch(
      /# DATABASE_URL: postgres:\/\//,
    );
  });

  it("builds overlays the way kustomize merges patches", () => {
    const base = { spec: { a: 1, list: [{ name: "x", v: 1, keep: true }], gone: { emptyDir: {} } } };
    const patch = {
      spec: { b: 2, list: [{ name: "x", v: 2 }, { name: "y" }], gone: { emptyDir: null, pvc: "c" } },
    };
    expect(strategicMerge(base, patch)).toEqual({
      spec: { a: 1, b: 2, list: [{ name: "x", v: 2, keep: true }, { name: "y" }], gone: { pvc: "c" } },
    });
  });
});
