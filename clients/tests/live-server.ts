// Starts the real service (the built Sessions.Api.dll) on a loopback port with a fresh SQLite
// database, issues an API key through its `keys create` verb, and stops it afterwards.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export interface LiveServer {
  baseUrl: string;
  key: string;
  /** fetch with the server's API key, as the generated clients take it. */
  http: { fetch(url: RequestInfo, init?: RequestInit): Promise<Response> };
  stop(): Promise<void>;
}

const allScopes = [
  "wizard_session:read", "wizard_session:write", "calculator_session:read", "calculator_session:write",
  "connector_session:read", "connector_session:write", "onboarding:read", "onboarding:write",
].join(",");

function apiAssembly(): string {
  const candidates = [
    process.env.SESSIONS_API_DLL,
    resolve(import.meta.dirname, "../../../src/Api/bin/Release/net10.0/Sessions.Api.dll"),
    resolve(import.meta.dirname, "../../../src/Api/bin/Debug/net10.0/Sessions.Api.dll"),
  ].filter((path): path is string => !!path);
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(`Sessions.Api.dll not found (looked at ${candidates.join(", ")}); build the solution first.`);
  }
  return found;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? done(address.port) : fail(new Error("no port"))));
    });
  });
}

async function waitUntilReady(baseUrl: string, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) {
      throw new Error(`the service exited with code ${server.exitCode}`);
    }
    try {
      if ((await fetch(`${baseUrl}/health/ready`)).status === 200) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((wait) => setTimeout(wait, 250));
  }
  throw new Error("the service did not become ready within 60 s");
}

export async function startLiveServer(): Promise<LiveServer> {
  const dll = apiAssembly();
  const folder = mkdtempSync(join(tmpdir(), "sessions-ts-"));
  const env = {
    ...process.env,
    ASPNETCORE_ENVIRONMENT: "Production",
    Sessions__Database__Provider: "sqlite",
    ConnectionStrings__Sessions: `Data Source=${join(folder, "sessions.db")}`,
    Logging__LogLevel__Default: "Warning",
  };

  const created = spawnSync("dotnet", [dll, "keys", "create", "--user", "ts-e2e", "--scopes", allScopes,
    "--projects", "1", "--tenants", "1", "--organisations", "org_demo"], { env, cwd: folder, encoding: "utf8" });
  if (created.status !== 0) {
    throw new Error(`keys create failed: ${created.stderr}`);
  }
  const key = created.stdout.trim().split("\n").at(-1)!.trim();

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const server = spawn("dotnet", [dll, "--urls", baseUrl], { env, cwd: folder, stdio: ["ignore", "ignore", "inherit"] });
  await waitUntilReady(baseUrl, server);

  return {
    baseUrl,
    key,
    http: {
      fetch: (url, init) =>
        fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), Authorization: `Bearer ${key}` } }),
    },
    stop: async () => {
      const exited = new Promise<void>((done) => server.once("exit", () => done()));
      server.kill("SIGTERM");
      await exited;
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
