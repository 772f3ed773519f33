-- wrk script: page-view beacons as beacon.js sends them (navigator.sendBeacon), for
-- bench/beacon. The origin and the pages come from the environment: BEACON_ORIGIN (the
-- server's own origin, or the beacon is refused with 403) and BEACON_PATHS (real pages
-- of the site, space-separated). BEACON_DELAY_MS, when set, makes each connection wait
-- that long between its beacons (a steady rate, as wrk2 would give: connections x 1000 /
-- delay per second at most). Prints one summary line that bench/beacon reads.
local origin = os.getenv("BEACON_ORIGIN")
local paths = {}
for path in string.gmatch(os.getenv("BEACON_PATHS") or "/fr/", "%S+") do
  paths[#paths + 1] = path
end
-- Ordinary desktop and phone browsers (robots are not counted).
local agents = {
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
}
-- Another site, none (typed or bookmarked), and our own pages (not an entry).
local referrers = { "https://example.org/", "", origin .. "/fr/", origin .. "/en/" }
local widths = { 1280, 1920, 390, 820, 1440 }

local pause = tonumber(os.getenv("BEACON_DELAY_MS") or "")
local requests = {}
local counter = 0

if pause then
  delay = function()
    return pause
  end
end

init = function(args)
  -- Every combination is formatted once per thread; request() only picks one.
  for i, path in ipairs(paths) do
    local language = string.match(path, "^/(%a%a)/") or "fr"
    for j, referrer in ipairs(referrers) do
      local agent = agents[(i + j) % #agents + 1]
      local body = string.format('{"p":"%s","r":"%s","w":%d,"l":"%s"}',
        path, referrer, widths[(i * 3 + j) % #widths + 1], language)
      requests[#requests + 1] = wrk.format("POST", "/beacon", {
        ["Content-Type"] = "text/plain;charset=UTF-8",
        ["Origin"] = origin,
        ["User-Agent"] = agent,
        ["Accept"] = "*/*",
        ["Accept-Language"] = "fr-CA,fr;q=0.9,en;q=0.8",
      }, body)
    end
  end
end

request = function()
  counter = counter + 1
  return requests[counter % #requests + 1]
end

done = function(summary, latency, requests)
  local non2xx = summary.errors.status
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format(
    "beacon: %d requests in %.1f s, %.0f requests/s, p50 %.2f ms, p90 %.2f ms, "
      .. "p95 %.2f ms, p99 %.2f ms, max %.2f ms, non-2xx %d, socket errors %d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    non2xx, errors))
end
