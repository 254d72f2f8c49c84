import type { IIoK8sApiCoreV1EnvVar as EnvVar } from "kubernetes-models/v1";
import type { StoreEngineDefinition } from "./engine.ts";
import { fromSecret } from "./engine.ts";
import { CURL_IMAGE } from "./tools.ts";
import { compareNames } from "../name-order.ts";

/**
 * Qdrant in distributed mode: one Raft cluster per region, pod 0 bootstraps
 * and the others join it through the headless Service. Qdrant has no
 * cross-region replication, so every region runs its own cluster.
 */
export const qdrantEngine: StoreEngineDefinition = {
  image: "docker.io/qdrant/qdrant:v1.12.4-unprivileged",
  ports: { http: 6333, grpc: 6334, p2p: 6335 },
  dataPath: "/qdrant/storage",
  runAsUser: 1000,
  writablePaths: ["/qdrant/snapshots", "/tmp"],
  crossRegion: false,
  // /readyz waits for the Raft consensus with the peers: members start together, and liveness probes /livez.
  peersForReadiness: true,
  peerDependentPaths: ["/readyz"],
  // A member joins the Raft consensus through pod 0 and loads its collections before it serves.
  startupSeconds: 900,
  env({ spec }) {
    const vars: EnvVar[] = [
      { name: "QDRANT__CLUSTER__ENABLED", value: "true" },
      { name: "QDRANT__CLUSTER__P2P__PORT", value: "6335" },
    ];
    if (spec.password) vars.push(fromSecret("QDRANT__SERVICE__API_KEY", spec.password.name, spec.password.key));
    return vars.sort((a, b) => compareNames(a.name, b.name));
  },
  probe() {
    return { httpGet: { path: "/readyz", port: "http" }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 6 };
  },
  liveness() {
    return { httpGet: { path: "/livez", port: "http" }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 6 };
  },
  command({ setName, headlessName, namespace }) {
    const self = `http://$(HOSTNAME).${headlessName}.${namespace}.svc:6335`;
    const seed = `http://${setName}-0.${headlessName}.${namespace}.svc:6335`;
    return {
      command: ["/bin/bash", "-c"],
      args: [
        `if [ "\${HOSTNAME##*-}" = "0" ]; then exec ./entrypoint.sh --uri ${self.replace("$(HOSTNAME)", "${HOSTNAME}")}; else exec ./entrypoint.sh --bootstrap ${seed} --uri ${self.replace("$(HOSTNAME)", "${HOSTNAME}")}; fi`,
      ],
    };
  },
};

/** The start of a script that talks to each member's REST API in turn (with the API key, when there is one). */
function eachMember(members: string[]): string[] {
  return [
    "set -eu",
    `auth=""; [ -n "\${API_KEY:-}" ] && auth="api-key: $API_KEY"`,
    `for member in ${members.join(" ")}; do`,
    `  base="http://$member:6333"`,
  ];
}

/**
 * Qdrant's snapshot API, member by member (in a cluster each member snapshots its own shards): for every collection,
 * `POST /collections/<c>/snapshots`, download the file, then delete it from the member.
 */
qdrantEngine.dump = ({ spec, members }) => ({
  image: CURL_IMAGE,
  script: [
    ...eachMember(members),
    `  for c in $(curl -fsS -H "$auth" "$base/collections" | grep -o '"name":"[^"]*"' | cut -d'"' -f4); do`,
    `    snap=$(curl -fsS -X POST -H "$auth" "$base/collections/$c/snapshots?wait=true" | grep -o '"name":"[^"]*"' | head -n1 | cut -d'"' -f4)`,
    `    mkdir -p "/backup/\${member%%.*}/$c"`,
    `    curl -fsS -H "$auth" -o "/backup/\${member%%.*}/$c/$snap" "$base/collections/$c/snapshots/$snap"`,
    `    curl -fsS -X DELETE -H "$auth" "$base/collections/$c/snapshots/$snap" > /dev/null`,
    "  done",
    "done",
  ].join("\n"),
  env: spec.password ? [fromSecret("API_KEY", spec.password.name, spec.password.key)] : [],
  runAsUser: 100,
});

/**
 * Qdrant's snapshot upload, member by member: every collection snapshot the backup took from a member is uploaded
 * back to that member with `priority=snapshot` (the snapshot's data wins over what the member holds).
 */
qdrantEngine.restore = ({ spec, members }) => ({
  image: CURL_IMAGE,
  script: [
    ...eachMember(members),
    `  for dir in "/backup/\${member%%.*}"/*/; do`,
    `    [ -d "$dir" ] || continue`,
    `    c="$(basename "$dir")"`,
    `    for snap in "$dir"*; do`,
    `      curl -fsS -X POST -H "$auth" -F "snapshot=@$snap" "$base/collections/$c/snapshots/upload?priority=snapshot&wait=true" > /dev/null`,
    `      echo "restored $c on $member from $(basename "$snap")"`,
    "    done",
    "  done",
    "done",
  ].join("\n"),
  env: spec.password ? [fromSecret("API_KEY", spec.password.name, spec.password.key)] : [],
  runAsUser: 100,
});
