import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ConnectorSessionsClient, type ProblemDetails } from "@sessions/client";
import { startLiveServer, type LiveServer } from "./live-server.js";

/** Runs a call that must fail and returns the problem details the client threw. */
async function problemOf(call: () => Promise<unknown>): Promise<ProblemDetails> {
  try {
    await call();
  } catch (problem) {
    return problem as ProblemDetails;
  }
  assert.fail("the call succeeded");
}

describe("ConnectorSessions through the generated TypeScript client", () => {
  let server: LiveServer;
  let client: ConnectorSessionsClient;

  before(async () => {
    server = await startLiveServer();
    client = new ConnectorSessionsClient(server.baseUrl, server.http);
  });

  after(async () => {
    await server.stop();
  });

  test("create, read, merge, list and delete a session", async () => {
    const created = await client.createConnectorSession({ data: { discoveryInput: { applicationName: "My API" } } });
    assert.equal(created.message, "Session created successfully");

    const session = await client.getConnectorSession(created.sessionId);
    assert.deepEqual(session.data, { discoveryInput: { applicationName: "My API" } });
    assert.match(session.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    await client.updateConnectorSession(created.sessionId, { data: { documentationItems: [] } }, '"1"');
    const merged = await client.getConnectorSession(created.sessionId);
    assert.deepEqual(merged.data, { discoveryInput: { applicationName: "My API" }, documentationItems: [] });

    const page = await client.listConnectorSessions(10, 0);
    assert.ok(page.sessions.some((s) => s.sessionId === created.sessionId));

    const deleted = await client.deleteConnectorSession(created.sessionId, undefined);
    assert.equal(deleted.message, "Session deleted successfully");
    const gone = await problemOf(() => client.getConnectorSession(created.sessionId));
    assert.equal(gone.status, 404);
    assert.equal(gone.detail, `Session ${created.sessionId} not found`);
  });

  test("a stale If-Match is a typed 412 problem", async () => {
    const created = await client.createConnectorSession(undefined, undefined);
    await client.replaceConnectorSession(created.sessionId, { data: { step: 2 } }, undefined);

    const stale = await problemOf(() => client.replaceConnectorSession(created.sessionId, { data: { step: 3 } }, '"1"'));

    assert.equal(stale.status, 412);
  });

  test("creating an id the caller already has is a typed 409 problem", async () => {
    const id = crypto.randomUUID();
    await client.createConnectorSessionWithId(id, undefined, undefined);

    const conflict = await problemOf(() => client.createConnectorSessionWithId(id, undefined, undefined));

    assert.equal(conflict.status, 409);
  });

  test("an Idempotency-Key replays the first session", async () => {
    const key = crypto.randomUUID();
    const first = await client.createConnectorSession({ data: { once: true } }, key);
    const replay = await client.createConnectorSession({ data: { once: true } }, key);

    assert.equal(replay.sessionId, first.sessionId);
  });
});
