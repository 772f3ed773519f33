-- wrk script for bench/beacon: a plain GET, with p95 printed in one summary line.
done = function(summary, latency, requests)
  io.write(string.format(
    "page: %d requests in %.1f s, %.0f requests/s, p50 %.2f ms, p90 %.2f ms, "
      .. "p95 %.2f ms, p99 %.2f ms, max %.2f ms, non-2xx %d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.status))
end
