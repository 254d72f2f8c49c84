import { environment } from "../compiler/index.ts";

// Production: all three regions, exactly what each platform declares, every safety net on.
export default environment({
  name: "production",
  regions: ["us-west-2", "us-east-1", "eu-west-1"],
  // One global hostname per public service (api.example.com), routed to the nearest healthy region by latency.
  globalDomain: "example.com",
  // The Route 53 public hosted zone of example.com, where each region's latency record of a global name goes. A
  // documentation-style placeholder like the example.com names and the 111122223333 account: set the real zone's ID.
  globalZoneId: "Z0123456789EXAMPLE0AB",
  // strict: every policy rule is an error (the default for a rule not named in policy.rules), except a missing
  // digest: no seed image has a digest read from its registry yet, and a digest is never invented. Every tag is a
  // pinned version (pinned-images is an error here), so a missing digest is a warning until each image's digest is
  // pinned from its registry; then this becomes an error.
  policy: {
    networkPolicies: true,
    disruptionBudgets: true,
    resourceQuota: true,
    rules: { "image-digests": "warning" },
    registries: ["docker.io", "ghcr.io", "gcr.io"],
    // Critical alerts page here only; dev and staging send them to chat.
    paging: true,
  },
});
