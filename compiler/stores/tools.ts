/** Pinned images of the tools the stores' backups and the sync hooks run. */

/** A pinned image with curl and a shell, for the smoke test, notifications and Qdrant's snapshot API. */
export const CURL_IMAGE = "docker.io/curlimages/curl:8.10.1";

/** The AWS CLI, which uploads dumps to the object store and prunes old ones. */
export const AWS_CLI_IMAGE = "docker.io/amazon/aws-cli:2.22.0";
