/**
 * What the Amazon EBS CSI driver (`ebs.csi.aws.com`) can provision, per volume type. Values from the AWS
 * documentation, "Amazon EBS volume types" (docs.aws.amazon.com/ebs/latest/userguide/ebs-volume-types.html):
 * - gp3: 1 GiB to 16 TiB; 3,000 to 16,000 IOPS, at most 500 IOPS per GiB.
 * - gp2: 1 GiB to 16 TiB (IOPS follow the size; none can be set).
 * - io1: 4 GiB to 16 TiB; 100 to 64,000 IOPS, at most 50 IOPS per GiB.
 * - io2 (Block Express): 4 GiB to 64 TiB; 100 to 256,000 IOPS, at most 1,000 IOPS per GiB.
 * - st1 and sc1 (HDD): 125 GiB to 16 TiB; no provisioned IOPS.
 * - standard (magnetic): 1 GiB to 1 TiB.
 */
export interface VolumeTypeLimits {
  minGiB: number;
  maxGiB: number;
  /** Provisioned IOPS: per GiB of size, and the range of the total; absent when the type takes none. */
  iops?: { perGiB: number; min: number; max: number };
}

export const EBS_PROVISIONER = "ebs.csi.aws.com";

/** The limits of each EBS volume type (the CSI driver's `type` parameter; gp3 when unset). */
export const EBS_LIMITS: Record<string, VolumeTypeLimits> = {
  gp3: { minGiB: 1, maxGiB: 16384, iops: { perGiB: 500, min: 3000, max: 16000 } },
  gp2: { minGiB: 1, maxGiB: 16384 },
  io1: { minGiB: 4, maxGiB: 16384, iops: { perGiB: 50, min: 100, max: 64000 } },
  io2: { minGiB: 4, maxGiB: 65536, iops: { perGiB: 1000, min: 100, max: 256000 } },
  st1: { minGiB: 125, maxGiB: 16384 },
  sc1: { minGiB: 125, maxGiB: 16384 },
  standard: { minGiB: 1, maxGiB: 1024 },
};

/** Why a claim of `sizeGiB` on an EBS class with these parameters cannot be provisioned, or undefined. */
export function ebsProblem(parameters: Record<string, string>, sizeGiB: number): string | undefined {
  const type = parameters.type ?? "gp3";
  const limits = EBS_LIMITS[type];
  if (!limits) return `EBS volume type "${type}" is not one of ${Object.keys(EBS_LIMITS).join(", ")}`;
  if (sizeGiB < limits.minGiB || sizeGiB > limits.maxGiB)
    return `${sizeGiB} GiB is outside the ${limits.minGiB} GiB to ${limits.maxGiB} GiB an EBS ${type} volume can have`;
  const iops = parameters.iops === undefined ? undefined : Number(parameters.iops);
  const perGB = parameters.iopsPerGB === undefined ? undefined : Number(parameters.iopsPerGB);
  if ((iops !== undefined || perGB !== undefined) && !limits.iops)
    return `EBS ${type} volumes take no provisioned IOPS`;
  if (!limits.iops) return undefined;
  if (perGB !== undefined && perGB > limits.iops.perGiB)
    return `iopsPerGB ${perGB} exceeds the ${limits.iops.perGiB} IOPS per GiB of EBS ${type}`;
  if (iops === undefined) return undefined;
  if (iops > limits.iops.perGiB * sizeGiB)
    return `${iops} IOPS on ${sizeGiB} GiB exceeds the ${limits.iops.perGiB} IOPS per GiB of EBS ${type} (at most ${limits.iops.perGiB * sizeGiB}; ${iops} needs ${Math.ceil(iops / limits.iops.perGiB)} GiB)`;
  if (iops < limits.iops.min || iops > limits.iops.max)
    return `${iops} IOPS is outside the ${limits.iops.min} to ${limits.iops.max} an EBS ${type} volume can have`;
  return undefined;
}
