/**
 * Just enough of `kustomize build` for this project's manifests, so the tests check what
 * `kubectl apply -k` would apply: `resources` (files and folders), `patches` (strategic merge
 * patches: maps merge, lists of named items merge by name, `null` deletes), `namespace` and `images`.
 * Anything else in a kustomization is refused, so the overlays cannot grow a feature the test
 * would silently ignore.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

// biome-ignore lint/suspicious/noExplicitAny: Kubernetes objects are free-form YAML
export type KubeObject = Record<string, any>;

const KNOWN_KEYS = new Set(["apiVersion", "kind", "namespace", "resources", "patches", "images"]);
/** Kinds that live outside namespaces (the namespace transformer leaves them alone). */
const CLUSTER_KINDS = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding", "StorageClass"]);

export function readYamlDocuments(file: string): KubeObject[] {
  return parseAllDocuments(readFileSync(file, "utf8")).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join("; ")}`);
    return doc.toJS() as KubeObject;
  });
}

function isObject(value: unknown): value is KubeObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A strategic merge patch, the way kustomize applies one to built-in kinds. */
export function strategicMerge(base: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  // A patch that adds a map still drops its nulls: they only ever delete.
  const merged: KubeObject = isObject(base) ? structuredClone(base) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete merged[key];
    } else if (
      Array.isArray(value) &&
      Array.isArray(merged[key]) &&
      value.every((v) => isObject(v) && "name" in v)
    ) {
      const list: KubeObject[] = [...merged[key]];
      for (const item of value as KubeObject[]) {
        const index = list.findIndex((existing) => isObject(existing) && existing.name === item.name);
        if (index >= 0) list[index] = strategicMerge(list[index], item) as KubeObject;
        else list.push(structuredClone(item));
      }
      merged[key] = list;
    } else {
      merged[key] = strategicMerge(merged[key], value);
    }
  }
  return merged;
}

function sameObject(a: KubeObject, b: KubeObject): boolean {
  return a.kind === b.kind && a.metadata?.name === b.metadata?.name;
}

/** The objects `kubectl apply -k <dir>` would send. */
export function kustomizeBuild(dir: string): KubeObject[] {
  const file = join(dir, "kustomization.yaml");
  const [kustomization] = readYamlDocuments(file);
  if (!kustomization) throw new Error(`${file} is empty`);
  for (const key of Object.keys(kustomization)) {
    if (!KNOWN_KEYS.has(key)) throw new Error(`${file}: the test's kustomize does not know "${key}"`);
  }

  let objects: KubeObject[] = [];
  for (const resource of (kustomization.resources ?? []) as string[]) {
    const path = join(dir, resource);
    if (!existsSync(path)) throw new Error(`${file}: resource ${resource} does not exist`);
    objects.push(...(statSync(path).isDirectory() ? kustomizeBuild(path) : readYamlDocuments(path)));
  }
  for (const { path } of (kustomization.patches ?? []) as { path: string }[]) {
    for (const patch of readYamlDocuments(join(dir, path))) {
      const index = objects.findIndex((object) => sameObject(object, patch));
      if (index < 0)
        throw new Error(`${file}: patch ${path} matches no ${patch.kind}/${patch.metadata?.name}`);
      objects[index] = strategicMerge(objects[index], patch) as KubeObject;
    }
  }
  if (typeof kustomization.namespace === "string") {
    const namespace = kustomization.namespace;
    objects = objects.map((object) =>
      CLUSTER_KINDS.has(object.kind) ? object : { ...object, metadata: { ...object.metadata, namespace } },
    );
  }
  for (const image of (kustomization.images ?? []) as { name: string; newName?: string; newTag?: string }[]) {
    for (const object of objects) {
      for (const container of object.spec?.template?.spec?.containers ?? []) {
        const [name, tag] = String(container.image).split(/:(?=[^/]+$)/);
        if (name === image.name) container.image = `${image.newName ?? name}:${image.newTag ?? tag}`;
      }
    }
  }
  return objects;
}

/** Every YAML file under `dir`, sorted. */
export function yamlFilesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...yamlFilesUnder(path));
    else if (/\.ya?ml$/.test(entry)) found.push(path);
  }
  return found;
}
