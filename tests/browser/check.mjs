// Opens pages in headless Chromium and reports what a browser saw, as JSON on
// standard output, for tests/browser.rs to judge:
//
//   node check.mjs CHROMIUM AXE_JS OUT_DIR PARTS PAGE...
//
// PARTS is a JSON object {NAME: CSS selector}: each part a page has is also
// captured alone (NAME.png beside the page's screenshot), for docs/.
//
// Chromium is driven over the DevTools protocol on a pipe
// (--remote-debugging-pipe: fd 3 to the browser, fd 4 from it, messages
// ended by a NUL byte), so nothing but Node and Chromium is needed. For each
// page (a file path) it records: console messages and uncaught exceptions,
// every network request (the page's own file:// load included), the text
// and pointers of every element tied to the JSON report (data-json,
// data-sum, data-diff), a screenshot (PNG, written to OUT_DIR) and how many
// distinct colours it holds (decoded by the browser itself, after the
// requests are recorded), screenshots of the PARTS it has, the page printed to PDF (A4, written to OUT_DIR), and
// axe-core's violations (injected through the protocol, not the page).
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [chromium, axePath, outDir, partsJson, ...pages] = process.argv.slice(2);
const wanted = JSON.parse(partsJson);
const axeSource = readFileSync(axePath, "utf8");
const profile = mkdtempSync(join(tmpdir(), "ladder-browser-"));

const browser = spawn(
  chromium,
  [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--no-default-browser-check",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
    `--user-data-dir=${profile}`,
    "about:blank",
  ],
  { stdio: ["ignore", "ignore", "ignore", "pipe", "pipe"] },
);
const toBrowser = browser.stdio[3];
const fromBrowser = browser.stdio[4];

let nextId = 1;
const waiting = new Map();
const listeners = [];
let buffered = "";
fromBrowser.on("data", (chunk) => {
  buffered += chunk.toString("utf8");
  let end;
  while ((end = buffered.indexOf("\0")) >= 0) {
    const message = JSON.parse(buffered.slice(0, end));
    buffered = buffered.slice(end + 1);
    if (message.id && waiting.has(message.id)) {
      const { ok, fail } = waiting.get(message.id);
      waiting.delete(message.id);
      if (message.error) fail(new Error(JSON.stringify(message.error)));
      else ok(message.result);
    } else if (message.method) {
      for (const listen of listeners) listen(message);
    }
  }
});

function send(method, params = {}, sessionId) {
  const id = nextId++;
  const message = { id, method, params };
  if (sessionId) message.sessionId = sessionId;
  toBrowser.write(JSON.stringify(message) + "\0");
  return new Promise((ok, fail) => waiting.set(id, { ok, fail }));
}

function once(method, sessionId) {
  return new Promise((ok) => {
    const listen = (m) => {
      if (m.method === method && m.sessionId === sessionId) {
        listeners.splice(listeners.indexOf(listen), 1);
        ok(m.params);
      }
    };
    listeners.push(listen);
  });
}

async function evaluate(session, expression) {
  const { result, exceptionDetails } = await send(
    "Runtime.evaluate",
    { expression, returnByValue: true, awaitPromise: true },
    session,
  );
  if (exceptionDetails) throw new Error(JSON.stringify(exceptionDetails));
  return result.value;
}

async function check(page) {
  const url = pathToFileURL(resolve(page)).href;
  const name = basename(page).replace(/\.[a-z]+$/, "");
  const { targetId } = await send("Target.createTarget", { url: "about:blank" });
  const { sessionId: s } = await send("Target.attachToTarget", { targetId, flatten: true });
  const seen = { page, console: [], exceptions: [], log: [], requests: [] };
  listeners.push((m) => {
    if (m.sessionId !== s) return;
    if (m.method === "Runtime.consoleAPICalled") {
      seen.console.push({ type: m.params.type, text: m.params.args.map((a) => a.value).join(" ") });
    } else if (m.method === "Runtime.exceptionThrown") {
      seen.exceptions.push(m.params.exceptionDetails.text);
    } else if (m.method === "Log.entryAdded") {
      seen.log.push({ level: m.params.entry.level, text: m.params.entry.text });
    } else if (m.method === "Network.requestWillBeSent") {
      seen.requests.push(m.params.request.url);
    }
  });
  await send("Runtime.enable", {}, s);
  await send("Log.enable", {}, s);
  await send("Network.enable", {}, s);
  await send("Page.enable", {}, s);
  await send(
    "Emulation.setDeviceMetricsOverride",
    { width: 1200, height: 1400, deviceScaleFactor: 1, mobile: false },
    s,
  );
  const loaded = once("Page.loadEventFired", s);
  await send("Page.navigate", { url }, s);
  await loaded;
  // Anything the page would fetch late (it should fetch nothing).
  await new Promise((ok) => setTimeout(ok, 300));
  const requests = [...seen.requests];

  seen.figures = await evaluate(
    s,
    `[...document.querySelectorAll("[data-json],[data-sum],[data-diff]")].map((e) => ({
      json: e.getAttribute("data-json"),
      sum: e.getAttribute("data-sum"),
      diff: e.getAttribute("data-diff"),
      datetime: e.getAttribute("datetime") || (e.querySelector("time") && e.querySelector("time").getAttribute("datetime")),
      text: e.textContent.trim(),
    }))`,
  );
  seen.headings = await evaluate(
    s,
    `[...document.querySelectorAll("h1,h2,h3,h4,h5,h6")].map((h) => Number(h.tagName[1]))`,
  );

  const shot = await send("Page.captureScreenshot", { format: "png" }, s);
  seen.screenshot = join(outDir, `${name}.png`);
  writeFileSync(seen.screenshot, Buffer.from(shot.data, "base64"));
  // Screenshots of the parts the page has (for docs/), each at most 1,000
  // pixels high.
  const parts = await evaluate(
    s,
    `Object.entries(${JSON.stringify(wanted)}).flatMap(([name, selector]) => {
      const e = document.querySelector(selector);
      if (!e) return [];
      const r = e.getBoundingClientRect();
      return [{ name, x: r.left + scrollX - 8, y: r.top + scrollY - 8, width: r.width + 16, height: Math.min(r.height + 16, 1000) }];
    })`,
  );
  seen.parts = [];
  for (const part of parts) {
    const { data } = await send(
      "Page.captureScreenshot",
      {
        format: "png",
        captureBeyondViewport: true,
        clip: { x: part.x, y: part.y, width: part.width, height: part.height, scale: 1 },
      },
      s,
    );
    const file = join(outDir, `${name}-${part.name}.png`);
    writeFileSync(file, Buffer.from(data, "base64"));
    seen.parts.push(file);
  }

  const pdf = await send(
    "Page.printToPDF",
    { paperWidth: 8.27, paperHeight: 11.69, printBackground: true, preferCSSPageSize: true },
    s,
  );
  seen.pdf = join(outDir, `${name}.pdf`);
  writeFileSync(seen.pdf, Buffer.from(pdf.data, "base64"));

  // axe-core, given to the page through the protocol.
  await evaluate(s, axeSource);
  seen.violations = await evaluate(
    s,
    `axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5),
    })))`,
  );

  // The screenshot decoded by the browser: how many distinct colours (a
  // blank page has one). Done last, after the requests were recorded.
  seen.colours = await evaluate(
    s,
    `new Promise((ok, fail) => {
      const img = new Image();
      img.onload = () => {
        const c = document.createElement("canvas");
        c.width = img.width; c.height = img.height;
        const g = c.getContext("2d");
        g.drawImage(img, 0, 0);
        const d = g.getImageData(0, 0, c.width, c.height).data;
        const colours = new Set();
        for (let i = 0; i < d.length; i += 4 * 7) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
        ok(colours.size);
      };
      img.onerror = () => fail(new Error("the screenshot does not decode"));
      img.src = "data:image/png;base64,${shot.data}";
    })`,
  );
  seen.requests = requests;
  await send("Target.closeTarget", { targetId });
  return seen;
}

let status = 0;
try {
  const results = [];
  for (const page of pages) results.push(await check(page));
  process.stdout.write(JSON.stringify(results));
} catch (e) {
  process.stderr.write(`check.mjs: ${e.stack || e}\n`);
  status = 1;
} finally {
  const exited = new Promise((ok) => browser.once("exit", ok));
  browser.kill();
  await exited;
  rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}
process.exit(status);
