#!/usr/bin/env node
// Creates or updates the one merge-request note that holds the rendered diff.
// The note is found by the hidden marker the report starts with.
// Usage (in a merge-request pipeline): node examples/ci/gitlab-note.mjs diff.md
import { readFileSync } from "node:fs";

const MARKER = "<!-- manifold-diff -->";
const body = readFileSync(process.argv[2], "utf8");
const { CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID, MANIFOLD_API_TOKEN } = process.env;
if (!CI_API_V4_URL || !CI_PROJECT_ID || !CI_MERGE_REQUEST_IID || !MANIFOLD_API_TOKEN) {
  console.error("gitlab-note: needs CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID and MANIFOLD_API_TOKEN");
  process.exit(2);
}
const notes = `${CI_API_V4_URL}/projects/${encodeURIComponent(CI_PROJECT_ID)}/merge_requests/${CI_MERGE_REQUEST_IID}/notes`;
/* global fetch */
const headers = { "PRIVATE-TOKEN": MANIFOLD_API_TOKEN, "Content-Type": "application/json" };

async function call(url, init = {}) {
  const res = await fetch(url, { ...init, headers });
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${url}: ${res.status} ${await res.text()}`);
  return res;
}

let existing;
for (let page = 1; !existing; page++) {
  const res = await call(`${notes}?per_page=100&page=${page}&sort=asc`);
  const list = await res.json();
  existing = list.find((n) => typeof n.body === "string" && n.body.startsWith(MARKER));
  if (!res.headers.get("x-next-page")) break;
}
if (existing) await call(`${notes}/${existing.id}`, { method: "PUT", body: JSON.stringify({ body }) });
else await call(notes, { method: "POST", body: JSON.stringify({ body }) });
console.error(existing ? `updated note ${existing.id}` : "created the diff note");
