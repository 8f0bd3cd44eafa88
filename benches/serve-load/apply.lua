-- wrk script: every request is the same real apply request (a raise on
-- Monday 21 December 2026 at the team manager of the IRO dispute ladder).
-- A response of status 400 or more is counted by wrk (errors.status) and
-- reported at the end; no per-response callback, which would slow wrk.
wrk.method = "POST"
wrk.path = "/v1/ladders/iro-dispute-resolution/apply"
wrk.headers["Content-Type"] = "application/json"
-- The service with tokens (benches/serve-load.sh's round a) is given one.
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
wrk.body = '{"event":{"id":"evt-1","on":"2026-12-21","actor":"iro","type":"raise","stage":"team-manager","reason":"no permanence plan"}}'

function done(summary, latency, requests)
  io.write(string.format("requests %d\n", summary.requests))
  io.write(string.format("errors   %d (socket %d/%d/%d/%d, status %d)\n",
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout + summary.errors.status,
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout, summary.errors.status))
  io.write(string.format("req/s    %.0f\n", summary.requests / (summary.duration / 1e6)))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("p%-6s  %.2f ms\n", tostring(p), latency:percentile(p) / 1000))
  end
end
