// The TypeScript client is consumed as a package: `npm pack` makes the @sessions/client tarball, a
// fresh project installs it (nothing else), type-checks against its declarations and calls the
// live service through it.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { startLiveServer, type LiveServer } from "./live-server.js";

const clients = resolve(import.meta.dirname, "../..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

describe("the @sessions/client npm package", () => {
  let server: LiveServer;
  let scratch: string;

  before(async () => {
    server = await startLiveServer();
    scratch = mkdtempSync(join(tmpdir(), "sessions-client-npm-"));
  });

  after(async () => {
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  test("packs, installs into a fresh project, type-checks and calls the service", async () => {
    const packed = join(scratch, "packed");
    mkdirSync(packed);
    execFileSync(npm, ["pack", "--workspace", "@sessions/client", "--pack-destination", packed, "--silent"], { cwd: clients, stdio: "pipe" });
    const [tarball] = readdirSync(packed);
    const version = JSON.parse(readFileSync(join(clients, "typescript", "package.json"), "utf8")).version;
    assert.equal(tarball, `sessions-client-${version}.tgz`);

    const consumer = join(scratch, "consumer");
    mkdirSync(consumer);
    writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    execFileSync(npm, ["install", join(packed, tarball), "--no-fund", "--no-audit", "--offline", "--silent"], { cwd: consumer, stdio: "pipe" });
    const installed = JSON.parse(readFileSync(join(consumer, "node_modules", "@sessions", "client", "package.json"), "utf8"));
    assert.equal(installed.dependencies, undefined, "no runtime dependencies beyond fetch");
    assert.deepEqual(readdirSync(join(consumer, "node_modules")).filter((entry) => !entry.startsWith(".")), ["@sessions"], "installing it brings in nothing else");

    writeFileSync(join(consumer, "index.ts"), [
      'import { WizardSessionsClient, type WizardCatalogDto } from "@sessions/client";',
      "const key = process.env.SESSIONS_API_KEY;",
      "const http = { fetch: (url: RequestInfo, init?: RequestInit) =>",
      "  fetch(url, { ...init, headers: { ...init?.headers as Record<string, string>, Authorization: `Bearer ${key}` } }) };",
      "const catalog: WizardCatalogDto = await new WizardSessionsClient(process.argv[2], http).listWizards();",
      'console.log(`${catalog.data.length} wizards: ${catalog.data.map((w) => w.wizard_id).join(", ")}`);',
      "",
    ].join("\n"));
    writeFileSync(join(consumer, "tsconfig.json"), JSON.stringify({
      compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", lib: ["ES2022", "DOM"], strict: true, types: [] },
      files: ["index.ts", "process.d.ts"],
    }));
    // `process` without @types/node: the consumer declares the little it uses.
    writeFileSync(join(consumer, "process.d.ts"), "declare const process: { env: Record<string, string | undefined>; argv: string[] };\n");
    execFileSync(process.execPath, [join(clients, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], { cwd: consumer, stdio: "pipe" });

    const output = execFileSync(process.execPath, ["index.js", server.baseUrl], {
      cwd: consumer, env: { ...process.env, SESSIONS_API_KEY: server.key }, encoding: "utf8",
    });

    const expected = await (await server.http.fetch(`${server.baseUrl}/api/v1/wizards`)).json() as { data: { wizard_id: string }[] };
    assert.ok(expected.data.length > 0);
    assert.equal(output.trim(), `${expected.data.length} wizards: ${expected.data.map((w) => w.wizard_id).join(", ")}`);
  });
});
