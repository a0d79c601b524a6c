import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { EventSource } from "eventsource";
import {
  CalculatorSessionsClient,
  OnboardingClient,
  WizardRunsClient,
  WizardSessionsClient,
  type ProblemDetails,
  type UpsertWizardRunRequest,
  type WizardRunDto,
} from "@sessions/client";
import { startLiveServer, type LiveServer } from "./live-server.js";

async function problemOf(call: () => Promise<unknown>): Promise<ProblemDetails> {
  try {
    await call();
  } catch (problem) {
    return problem as ProblemDetails;
  }
  assert.fail("the call succeeded");
}

function push(sessionId: string, workflow: string, phase: "running" | "completed"): UpsertWizardRunRequest {
  return {
    session_id: sessionId,
    workflow_id: workflow,
    skill_id: "nextjs",
    started_at: "2026-03-26T10:30:00.123Z",
    run_phase: phase,
    tasks: [{ id: "0", title: "Install posthog-js", status: phase === "running" ? "in_progress" : "completed" }],
    event_plan: { events: [{ name: "user_signed_up" }] },
    error: undefined,
    pending_input: undefined,
    handoff_text: undefined,
  };
}

describe("every module through the generated TypeScript client", () => {
  let server: LiveServer;

  before(async () => {
    server = await startLiveServer();
  });

  after(async () => {
    await server.stop();
  });

  test("WizardSessions: start, answer, branch, go back", async () => {
    const wizards = new WizardSessionsClient(server.baseUrl, server.http);
    const session = await wizards.startWizardSession({ wizard_id: "onboarding-wizard-v3", user_id: "ts-e2e", locale: "en-IE" });
    assert.equal(session.total_steps, 6);

    const moved = await wizards.nextWizardStep(session.session_id, { answers: { "screen-01": { chosen: ["opt-a"] } } });
    assert.equal(moved.current_step_index, 1);
    const back = await wizards.updateWizardSession(session.session_id, { action: "previous_step", answers: undefined });
    assert.equal(back.current_step_index, 0);

    const refused = await problemOf(() => wizards.previousWizardStep(session.session_id));
    assert.equal(refused.status, 409);
  });

  test("CalculatorSessions: calculate and read the exact result", async () => {
    const calculator = new CalculatorSessionsClient(server.baseUrl, server.http);
    const session = await calculator.openCalculatorSession({ mentor_id: "mentor_001", organisation_id: "org_demo" });
    const loaded = await calculator.dispatchCalculatorEvent(session.session_id, {
      event: "CalculateRequested",
      payload: { sessions: 25, avg_minutes: 30, cost_per_session: 3.5, cost_per_hour: 30 },
    });
    assert.equal(loaded.state, "loaded");

    const result = await calculator.getCalculationResult(loaded.result_id!);
    assert.equal(result.outputs.net_benefit, 287.5);
    assert.equal(result.outputs.roi_percent, 328.57);
  });

  test("Onboarding: create, move and the typed 409 without a provider connection", async () => {
    const onboarding = new OnboardingClient(server.baseUrl, server.http);
    const session = await onboarding.startOnboardingSession(1);
    const moved = await onboarding.updateOnboardingSession(1, session.id, {
      current_step: 2, assigned_to_user_id: undefined, unassign: undefined, provider_connection_id: undefined, status: undefined, takeover: undefined,
    });
    assert.equal(moved.status, "in_progress");

    const blocked = await problemOf(() => onboarding.startOnboardingTaskRun(1, "onboarding.connection.verify"));
    assert.equal(blocked.status, 409);
  });

  test("WizardRuns: upserts reach an EventSource on the live stream", async () => {
    const runs = new WizardRunsClient(server.baseUrl, server.http);
    const workflow = `wf-${Date.now()}`;
    await runs.upsertWizardRun(1, push("first", workflow, "running"));

    const url = `${server.baseUrl}/api/projects/1/wizard/sessions/stream?workflow_id=${workflow}`;
    const source = new EventSource(url, {
      fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, Authorization: `Bearer ${server.key}` } }),
    });
    const frames: WizardRunDto[] = [];
    const twoFrames = new Promise<void>((done, fail) => {
      source.onmessage = (message) => {
        frames.push(JSON.parse(message.data) as WizardRunDto);
        if (frames.length === 1) {
          runs.upsertWizardRun(1, push("first", workflow, "completed")).catch(fail);
        }
        if (frames.length === 2) {
          done();
        }
      };
      source.onerror = () => fail(new Error("the stream failed"));
    });

    try {
      await Promise.race([twoFrames, new Promise((_, fail) => setTimeout(() => fail(new Error("no frames within 5 s")), 5000))]);
    } finally {
      source.close();
    }

    assert.equal(frames[0].run_phase, "running", "the first frame is the current latest run");
    assert.equal(frames[1].run_phase, "completed", "an upsert arrives on the open stream");
    assert.equal(frames[1].started_at, "2026-03-26T10:30:00.123Z");
    const latest = await runs.getLatestWizardRun(1, workflow);
    assert.equal(latest.session_id, "first");
  });
});
