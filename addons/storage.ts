import { addon } from "../compiler/index.ts";

// The cluster's StorageClasses, on the EBS CSI driver (which EKS installs as a managed add-on). `standard` is the
// default, for claims that name no class.
export default addon({
  name: "storage",
  storageClasses: {
    "fast-ssd": {
      provisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3", iops: "16000", throughput: "1000", encrypted: "true" },
      reclaimPolicy: "Retain",
      allowVolumeExpansion: true,
    },
    standard: {
      provisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3", encrypted: "true" },
      reclaimPolicy: "Delete",
      allowVolumeExpansion: true,
      default: true,
    },
    // The backup claim has no consumer pod, so it binds immediately (Argo CD would wait on a Pending claim).
    archive: {
      provisioner: "ebs.csi.aws.com",
      parameters: { type: "sc1", encrypted: "true" },
      reclaimPolicy: "Retain",
      volumeBindingMode: "Immediate",
      allowVolumeExpansion: true,
    },
  },
});
