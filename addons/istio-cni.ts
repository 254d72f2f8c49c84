import { addon } from "../compiler/index.ts";

// The CNI node agent sets up the sidecar redirection, so meshed pods need no NET_ADMIN init container and pass
// Pod Security "restricted".
export default addon({
  name: "istio-cni",
  capabilities: { provided: ["istio-cni"] },
  chart: { repository: "https://istio-release.storage.googleapis.com/charts", chart: "cni", version: "1.27.1" },
  namespace: "istio-system",
  values: { cni: { excludeNamespaces: ["istio-system", "kube-system"] } },
  dependsOn: ["istio-base"],
});
