/** The parts of a container image reference: `[host[:port]/]path[:tag][@digest]`. */
export interface ImageReference {
  /** The registry host, or undefined when the reference leaves it to the runtime's default. */
  registry?: string;
  digest?: string;
}

/**
 * Splits an image reference. The first path component is a registry host when it has a dot or a port, or is
 * `localhost`.
 */
export function parseImage(image: string): ImageReference {
  const at = image.indexOf("@");
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const name = at >= 0 ? image.slice(0, at) : image;
  const slash = name.indexOf("/");
  const first = slash >= 0 ? name.slice(0, slash) : "";
  const registry = first.includes(".") || first.includes(":") || first === "localhost" ? first : undefined;
  return { registry, digest };
}
