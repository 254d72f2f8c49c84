/** A waiver: an annotation `waive.manifold.dev/<rule>: <reason>` that opts one object out of one rule. */
export const WAIVER_PREFIX = "waive.manifold.dev/";
