#!/usr/bin/env node
// Checks deploy/kubernetes/ with no cluster (ctest deploy.kubernetes; docs/kubernetes.md):
//  1. every manifest against the API schemas: kubernetes-models (JSON schemas compiled from the
//     Kubernetes OpenAPI spec) and @kubernetes-models/prometheus-operator (from the operator's
//     CRDs), run by their ajv validators: types, required fields, enums, patterns, quantities;
//  2. unknown fields (a misspelt `livenesProbe` passes the JSON schemas, which allow extra keys):
//     each manifest as a typed TypeScript literal against the same packages' interfaces, where
//     tsc's excess-property check rejects every key the API does not have;
//  3. what no schema says: the host settings, security context, probes and resources the
//     DaemonSet must keep, selectors and ports that must meet, every file in a kustomization;
//  4. the PrometheusRule carries exactly deploy/prometheus/rules/silicon.yml (--write-rules
//     regenerates it);
//  5. the exporter accepts the DaemonSet's flags and config.yaml (--config.check, when EXPORTER
//     names the binary);
//  6. where `kubectl` is installed, `kubectl kustomize` renders both kustomizations and the
//     rendered objects pass 1-3 again;
//  7. that 1 and 2 do catch errors: broken copies of the DaemonSet and ServiceMonitor must fail.
// Prints "N passed, M failed" and exits 1 on any failure.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import ts from "typescript";
import YAML from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
const k8sDir = join(repo, "deploy/kubernetes");
const rulesFile = join(repo, "deploy/prometheus/rules/silicon.yml");
const baseDir = join(k8sDir, "base");
const ruleManifest = join(baseDir, "prometheusrule.yaml");

let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    const note = await fn();
    passed++;
    console.log(`ok: ${name}${note ? ` (${note})` : ""}`);
  } catch (error) {
    failed++;
    console.log(`FAIL: ${name}\n  ${String(error.message ?? error).replaceAll("\n", "\n  ")}`);
  }
}
function assert(condition, message) {
  if (!condition) throw new Error(message);
}
const rel = (path) => relative(repo, path);

function readDocs(path) {
  const docs = YAML.parseAllDocuments(readFileSync(path, "utf8"));
  for (const doc of docs) assert(doc.errors.length === 0, `${rel(path)}: ${doc.errors.join("; ")}`);
  return docs.map((doc) => doc.toJS()).filter((obj) => obj !== null);
}

// ---- schemas: apiVersion + kind -> the model class and its TypeScript interface ----
function modelModule(apiVersion, kind) {
  if (apiVersion.startsWith("monitoring.coreos.com/"))
    return `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}`;
  return `kubernetes-models/${apiVersion}/${kind}`;
}
async function modelClass(obj) {
  assert(obj.apiVersion && obj.kind, "no apiVersion or kind");
  let module;
  try {
    module = await import(modelModule(obj.apiVersion, obj.kind));
  } catch {
    throw new Error(`no schema for ${obj.apiVersion} ${obj.kind}: not validated`);
  }
  return module[obj.kind];
}
async function validateSchema(obj) {
  const Model = await modelClass(obj);
  new Model(obj).validate(); // throws with every error's path
}

// Excess-property check: each object as `const x: IKind = {...}` in one in-memory TypeScript
// file, compiled against the packages' declarations (no emit).
function unknownFieldErrors(objects) {
  const lines = [];
  objects.forEach(({ obj, where }, i) => {
    const module = modelModule(obj.apiVersion, obj.kind);
    lines.push(`import type { I${obj.kind} as T${i} } from "${module}";`);
    lines.push(`// ${where}`);
    lines.push(`export const object${i}: T${i} = ${JSON.stringify(obj, null, 2)};`);
  });
  const fileName = join(here, "__manifests__.ts");
  const source = lines.join("\n");
  const options = {
    strict: true, noEmit: true, skipLibCheck: true, types: [],
    module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, version, ...rest) =>
    name === fileName ? ts.createSourceFile(name, source, version, true)
                      : getSourceFile.call(host, name, version, ...rest);
  host.fileExists = (name) => name === fileName || fileExists.call(host, name);
  host.readFile = (name) => (name === fileName ? source : readFile.call(host, name));
  const program = ts.createProgram([fileName], options, host);
  const sourceLines = source.split("\n");
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    if (!d.file || d.file.fileName !== fileName) return text;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    let where = "";
    for (let l = line; l >= 0 && !where; l--) if (sourceLines[l].startsWith("// ")) where = sourceLines[l].slice(3);
    return `${where}: ${text} (at \`${sourceLines[line].trim()}\`)`;
  });
}

// ---- what the schemas cannot say ----
function only(objects, kind) {
  const found = objects.filter((o) => o.kind === kind);
  assert(found.length === 1, `expected one ${kind}, found ${found.length}`);
  return found[0];
}
const matches = (selector, labels) =>
  Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);

function checkDaemonSet(ds) {
  const pod = ds.spec.template.spec;
  assert(matches(ds.spec.selector.matchLabels, ds.spec.template.metadata.labels), "selector does not match the pod labels");
  assert(pod.hostPID === true && pod.hostNetwork === true, "hostPID and hostNetwork must be true");
  assert(pod.tolerations?.some((t) => t.operator === "Exists" && !t.key && !t.effect),
    "needs a toleration with operator Exists and no key/effect (every taint)");
  assert(pod.automountServiceAccountToken === false, "the exporter needs no API token");
  const psc = pod.securityContext ?? {};
  assert(psc.runAsNonRoot === true && Number.isInteger(psc.runAsUser) && psc.runAsUser > 0,
    "pod must run as a numeric non-root user");
  assert(psc.seccompProfile?.type === "RuntimeDefault", "seccompProfile RuntimeDefault");
  assert(pod.containers.length === 1, "one container");
  const c = pod.containers[0];
  const csc = c.securityContext ?? {};
  assert(csc.readOnlyRootFilesystem === true, "readOnlyRootFilesystem");
  assert(csc.allowPrivilegeEscalation === false, "allowPrivilegeEscalation false");
  assert(csc.privileged !== true, "not privileged");
  assert(csc.capabilities?.drop?.includes("ALL") && !csc.capabilities?.add, "drop ALL capabilities, add none");
  for (const kind of ["requests", "limits"])
    for (const resource of ["cpu", "memory"])
      assert(c.resources?.[kind]?.[resource], `resources.${kind}.${resource} missing`);
  const port = c.ports.find((p) => p.name === "metrics");
  assert(port?.containerPort === 10025, "port metrics 10025");
  for (const probe of ["livenessProbe", "readinessProbe"]) {
    const get = c[probe]?.httpGet;
    assert(get?.path === "/-/healthy" && get.port === "metrics", `${probe} must GET /-/healthy on port metrics`);
  }
  const mounts = Object.fromEntries(c.volumeMounts.map((m) => [m.name, m]));
  const volumes = Object.fromEntries(pod.volumes.map((v) => [v.name, v]));
  for (const m of c.volumeMounts) assert(m.readOnly === true, `volume mount ${m.name} must be readOnly`);
  for (const v of pod.volumes) assert(mounts[v.name], `volume ${v.name} is not mounted`);
  const wanted = { "/proc": "/host/proc", "/sys": "/host/sys", "/": "/host/root" };
  for (const [hostPath, at] of Object.entries(wanted)) {
    const volume = pod.volumes.find((v) => v.hostPath?.path === hostPath);
    assert(volume && mounts[volume.name].mountPath === at, `host ${hostPath} must be mounted at ${at}`);
  }
  assert(mounts[pod.volumes.find((v) => v.hostPath?.path === "/").name].mountPropagation === "HostToContainer",
    "the host / needs mountPropagation HostToContainer");
  assert(!pod.volumes.some((v) => v.hostPath && !Object.keys(wanted).includes(v.hostPath.path)),
    "no other host path (the Docker socket is opt-in, docs/kubernetes.md)");
  const args = c.args ?? [];
  for (const [flag, value] of [["--path.procfs", "/host/proc"], ["--path.sysfs", "/host/sys"], ["--path.rootfs", "/host/root"]])
    assert(args.includes(`${flag}=${value}`), `args need ${flag}=${value}`);
  const listen = args.find((a) => a.startsWith("--web.listen-address="));
  assert(listen, "args need --web.listen-address");
  const variable = /^--web.listen-address=\$\((\w+)\):10025$/.exec(listen)?.[1];
  const env = c.env?.find((e) => e.name === variable);
  assert(env?.valueFrom?.fieldRef?.fieldPath === "status.podIP",
    `${listen}: listen on the node's address, from an env var set to status.podIP`);
  const configArg = args.find((a) => a.startsWith("--config.file="));
  const configVolume = volumes[c.volumeMounts.find((m) => configArg?.startsWith(`--config.file=${m.mountPath}/`))?.name];
  assert(configVolume?.configMap?.name, "--config.file must be in a mounted ConfigMap");
  return { container: c, configMap: configVolume.configMap.name, configKey: configArg.split("/").pop() };
}

function checkTopology(objects) {
  const ds = only(objects, "DaemonSet");
  const podLabels = ds.spec.template.metadata.labels;
  const container = ds.spec.template.spec.containers[0];
  const namespaces = new Set(objects.filter((o) => o.kind !== "Namespace").map((o) => o.metadata.namespace));
  assert(namespaces.size === 1 && !namespaces.has(undefined), `one namespace for all, found ${[...namespaces]}`);
  const ns = only(objects, "Namespace");
  assert(namespaces.has(ns.metadata.name), `namespace ${ns.metadata.name} is not the one used`);
  assert(ns.metadata.labels["pod-security.kubernetes.io/enforce"] === "privileged",
    "hostPID/hostNetwork/hostPath pods are admitted only at the privileged Pod Security level");
  const sa = only(objects, "ServiceAccount");
  assert(ds.spec.template.spec.serviceAccountName === sa.metadata.name, "DaemonSet uses the ServiceAccount");
  const cms = objects.filter((o) => o.kind === "ConfigMap");
  const configVolume = ds.spec.template.spec.volumes.find((v) => v.configMap);
  if (cms.length) assert(cms.some((cm) => cm.metadata.name === configVolume.configMap.name),
    `ConfigMap ${configVolume.configMap.name} not among the objects`);
  const notes = [];
  const svc = objects.find((o) => o.kind === "Service");
  const sm = objects.find((o) => o.kind === "ServiceMonitor");
  const pm = objects.find((o) => o.kind === "PodMonitor");
  assert(Boolean(sm) !== Boolean(pm), "exactly one of ServiceMonitor and PodMonitor (both would scrape twice)");
  if (svc) {
    assert(matches(svc.spec.selector, podLabels), "Service selector does not match the pods");
    assert(svc.spec.clusterIP === "None", "Service must be headless");
    for (const p of svc.spec.ports)
      assert(container.ports.some((cp) => cp.name === p.targetPort || cp.containerPort === p.targetPort),
        `Service port ${p.name} targets no container port`);
  }
  const jobAndInstance = (relabelings) => {
    assert(relabelings?.some((r) => r.targetLabel === "job" && r.replacement === "silicon"),
      'job must be "silicon": the rules alert on up{job="silicon"}');
    assert(relabelings?.some((r) => r.targetLabel === "instance" && r.sourceLabels?.includes("__meta_kubernetes_pod_node_name")),
      "instance must be the node name");
  };
  if (sm) {
    assert(svc, "a ServiceMonitor needs the Service");
    assert(matches(sm.spec.selector.matchLabels, svc.metadata.labels), "ServiceMonitor selects no Service");
    for (const e of sm.spec.endpoints) {
      assert(svc.spec.ports.some((p) => p.name === e.port), `ServiceMonitor port ${e.port} is not a Service port`);
      jobAndInstance(e.relabelings);
    }
    notes.push("ServiceMonitor -> Service -> pods");
  }
  if (pm) {
    assert(matches(pm.spec.selector.matchLabels, podLabels), "PodMonitor selects no pod");
    for (const e of pm.spec.podMetricsEndpoints) {
      assert(container.ports.some((p) => p.name === e.port), `PodMonitor port ${e.port} is not a container port`);
      jobAndInstance(e.relabelings);
    }
    notes.push("PodMonitor -> pods");
  }
  only(objects, "PrometheusRule");
  return notes.join(", ");
}

// ---- the PrometheusRule is the rules file ----
function prometheusRuleFromRules() {
  const rules = YAML.parse(readFileSync(rulesFile, "utf8"));
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: { name: "silicon-exporter", namespace: "silicon-exporter", labels: { "app.kubernetes.io/name": "silicon-exporter" } },
    spec: { groups: rules.groups },
  };
}
if (process.argv.includes("--write-rules")) {
  const header = "# GENERATED from deploy/prometheus/rules/silicon.yml by `node tests/kubernetes/validate.mjs\n" +
    "# --write-rules`; do not edit: ctest deploy.kubernetes fails when the two differ. A Prometheus\n" +
    "# picks it up only if its ruleSelector and ruleNamespaceSelector match (docs/kubernetes.md).\n";
  writeFileSync(ruleManifest, header + YAML.stringify(prometheusRuleFromRules(), { lineWidth: 0 }));
  console.log(`wrote ${rel(ruleManifest)}`);
  process.exit(0);
}

// ---- kustomizations ----
const yamlFiles = (dir) => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  if (name === "node_modules") return [];
  return statSync(path).isDirectory() ? yamlFiles(path) : /\.ya?ml$/.test(name) ? [path] : [];
});
const kustomizations = yamlFiles(k8sDir).filter((p) => p.endsWith("/kustomization.yaml"));
const covered = new Set(kustomizations);
const manifests = new Set();
const bases = new Set(); // kustomization folders that another one includes
// The manifest files a kustomization installs, its bases' included.
function installedFiles(kdir) {
  const k = readDocs(join(kdir, "kustomization.yaml"))[0];
  return (k.resources ?? []).flatMap((r) => {
    const path = resolve(kdir, r);
    return statSync(path).isDirectory() ? installedFiles(path) : [path];
  });
}
for (const kfile of kustomizations) {
  await check(`${rel(kfile)} lists files that exist`, () => {
    const k = readDocs(kfile)[0];
    assert(k.kind === "Kustomization", "kind Kustomization");
    for (const r of k.resources ?? []) {
      const path = resolve(dirname(kfile), r);
      assert(existsSync(path), `resource ${r} does not exist`);
      if (statSync(path).isDirectory()) {
        assert(existsSync(join(path, "kustomization.yaml")), `${r}: no kustomization.yaml`);
        bases.add(path);
      } else { covered.add(path); manifests.add(path); }
    }
    for (const gen of k.configMapGenerator ?? [])
      for (const f of gen.files ?? []) {
        const path = resolve(dirname(kfile), f.split("=").pop());
        assert(existsSync(path), `configMapGenerator file ${f} does not exist`);
        covered.add(path);
      }
    return `${(k.resources ?? []).length} resources`;
  });
}
await check("every YAML file under deploy/kubernetes is in a kustomization", () => {
  const missing = yamlFiles(k8sDir).filter((p) => !covered.has(p)).map(rel);
  assert(missing.length === 0, `not listed: ${missing.join(", ")}`);
  return `${covered.size} files`;
});
const entryPoints = kustomizations.map(dirname).filter((d) => !bases.has(d));

// ---- each manifest file: schema, unknown fields ----
const objects = [];
for (const file of [...manifests].sort())
  for (const [i, obj] of readDocs(file).entries())
    objects.push({ obj, where: `${rel(file)}#${i} ${obj.kind}/${obj.metadata?.name}` });
for (const { obj, where } of objects)
  await check(`schema: ${where}`, async () => { await validateSchema(obj); return obj.apiVersion; });
await check(`no unknown fields in ${objects.length} objects (TypeScript excess-property check)`, () => {
  const errors = unknownFieldErrors(objects);
  assert(errors.length === 0, errors.join("\n"));
});

// ---- policy and wiring ----
const plain = objects.map((o) => o.obj);
const main = readDocs(join(baseDir, "kustomization.yaml"))[0];
let daemon;
await check("DaemonSet: host namespaces, read-only host mounts, non-root, probes, resources", () => {
  daemon = checkDaemonSet(only(plain, "DaemonSet"));
});
for (const dir of entryPoints) {
  await check(`wiring of what ${rel(dir)}/kustomization.yaml installs`, () => {
    const files = new Set(installedFiles(dir));
    return checkTopology(objects.filter((o) => files.has(resolve(repo, o.where.split("#")[0]))).map((o) => o.obj));
  });
}
await check("base/kustomization.yaml: image, ConfigMap name and tag", () => {
  const image = only(plain, "DaemonSet").spec.template.spec.containers[0].image;
  const [name] = image.split(":");
  const entry = main.images?.find((i) => i.name === name);
  assert(entry, `no images: entry for ${name}`);
  const version = /project\(silicon_exporter VERSION ([\d.]+)/.exec(readFileSync(join(repo, "CMakeLists.txt"), "utf8"))[1];
  assert(entry.newTag === version, `image tag ${entry.newTag} is not the project version ${version}`);
  assert(main.configMapGenerator?.some((g) => g.name === daemon.configMap && g.files.includes(daemon.configKey)),
    `configMapGenerator must make ${daemon.configMap} with ${daemon.configKey}`);
  return `${name}:${entry.newTag}`;
});

await check("PrometheusRule carries deploy/prometheus/rules/silicon.yml unchanged", () => {
  const rule = only(plain, "PrometheusRule");
  const expected = prometheusRuleFromRules();
  assert(isDeepStrictEqual(rule.spec, expected.spec),
    "spec.groups differ from the rules file: run node tests/kubernetes/validate.mjs --write-rules");
  assert(isDeepStrictEqual(rule, expected), "metadata differs from the generated one: --write-rules");
  return `${rule.spec.groups.length} groups, ${rule.spec.groups.flatMap((g) => g.rules).length} rules`;
});

if (process.env.EXPORTER) {
  await check("the exporter accepts the DaemonSet's flags and config.yaml (--config.check)", () => {
    const args = daemon.container.args.map((a) => a
      .replace("$(NODE_IP)", "127.0.0.1")
      .replace(/^--config\.file=.*/, `--config.file=${join(baseDir, daemon.configKey)}`));
    const run = spawnSync(process.env.EXPORTER, [...args, "--config.check"], { encoding: "utf8" });
    assert(run.status === 0 && /config OK/.test(run.stdout + run.stderr),
      `exit ${run.status}: ${run.stdout}${run.stderr}`);
    return args.join(" ");
  });
} else {
  console.log("skip: --config.check (set EXPORTER to the silicon_exporter binary)");
}

// ---- rendered by kustomize, where kubectl is installed ----
const kubectl = spawnSync("kubectl", ["kustomize", "--help"], { encoding: "utf8" });
if (kubectl.status === 0) {
  for (const dir of entryPoints) {
    await check(`kubectl kustomize ${rel(dir)}: schema, unknown fields, wiring`, async () => {
      const out = execFileSync("kubectl", ["kustomize", dir], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      const rendered = YAML.parseAllDocuments(out).map((d) => d.toJS()).filter(Boolean);
      const errors = [];
      for (const obj of rendered) {
        try { await validateSchema(obj); } catch (e) { errors.push(`${obj.kind}/${obj.metadata?.name}: ${e.message}`); }
      }
      errors.push(...unknownFieldErrors(rendered.map((obj) => ({ obj, where: `${obj.kind}/${obj.metadata?.name}` }))));
      assert(errors.length === 0, errors.join("\n"));
      checkDaemonSet(only(rendered, "DaemonSet"));
      const ds = only(rendered, "DaemonSet");
      const image = ds.spec.template.spec.containers[0].image;
      const tag = main.images[0].newTag;
      assert(image.endsWith(`:${tag}`), `image ${image}: kustomize did not set the tag ${tag}`);
      const cm = only(rendered, "ConfigMap");
      assert(cm.data[daemon.configKey] === readFileSync(join(baseDir, daemon.configKey), "utf8"), "ConfigMap holds config.yaml");
      return `${rendered.length} objects, ${checkTopology(rendered)}, ${image}, ${cm.metadata.name}`;
    });
  }
} else {
  console.log("skip: kubectl kustomize (no kubectl with kustomize here); each file is checked above");
}

// ---- the checks catch what they should: broken copies must fail ----
const dsObject = only(plain, "DaemonSet");
const smObject = only(plain, "ServiceMonitor");
const broken = [
  ["a misspelt container field (livenesProbe)", dsObject, (o) => { const c = o.spec.template.spec.containers[0]; c.livenesProbe = c.livenessProbe; delete c.livenessProbe; }],
  ["hostPID as a string", dsObject, (o) => { o.spec.template.spec.hostPID = "true"; }],
  ["a memory limit with a space (64 Mi)", dsObject, (o) => { o.spec.template.spec.containers[0].resources.limits.memory = "64 Mi"; }],
  ["no containers", dsObject, (o) => { delete o.spec.template.spec.containers; }],
  ["a misspelt ServiceMonitor field (endpoint)", smObject, (o) => { o.spec.endpoint = o.spec.endpoints; delete o.spec.endpoints; }],
  ["a ServiceMonitor interval of 15 seconds", smObject, (o) => { o.spec.endpoints[0].interval = "15 seconds"; }],
  ["a ServiceMonitor endpoint field misspelt (scrapeTimout)", smObject, (o) => { o.spec.endpoints[0].scrapeTimout = "10s"; }],
];
for (const [what, original, breakIt] of broken) {
  await check(`rejects ${what}`, async () => {
    const copy = structuredClone(original);
    breakIt(copy);
    let errors = [];
    try { await validateSchema(copy); } catch (e) { errors.push(e.message); }
    errors.push(...unknownFieldErrors([{ obj: copy, where: what }]));
    assert(errors.length > 0, "passed the validator");
    return errors[0].split("\n")[0].slice(0, 110);
  });
}
const policyBroken = [
  ["a host mount that is not read-only", (o) => { o.spec.template.spec.containers[0].volumeMounts.find((m) => m.mountPath === "/host/root").readOnly = false; }],
  ["listening on every interface", (o) => { const a = o.spec.template.spec.containers[0].args; a[a.findIndex((x) => x.startsWith("--web.listen-address="))] = "--web.listen-address=:10025"; }],
  ["no memory limit", (o) => { delete o.spec.template.spec.containers[0].resources.limits.memory; }],
];
for (const [what, breakIt] of policyBroken) {
  await check(`rejects ${what}`, () => {
    const copy = structuredClone(dsObject);
    breakIt(copy);
    try { checkDaemonSet(copy); } catch (e) { return e.message; }
    throw new Error("passed the DaemonSet checks");
  });
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
