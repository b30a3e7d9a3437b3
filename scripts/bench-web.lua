-- wrk script for scripts/bench-web: spreads requests over the paths in a file (one per line),
-- each thread starting at its own place in the list, so that every request names another token.
-- Arguments after "--": the paths file, then GET, HEAD or POST (POST sends the RFC 8058 body).
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  method = args[2] or "GET"
  position = math.floor(#paths * id / 8) % #paths
  headers = { ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0" }
  if method == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    body = "List-Unsubscribe=One-Click"
  end
end

function request()
  position = position % #paths + 1
  return wrk.format(method, paths[position], headers, body)
end

function done(summary, latency, requests)
  io.write(string.format("wrk-summary requests=%d errors_status=%d errors_connect=%d errors_read=%d errors_timeout=%d p50_us=%d p99_us=%d seconds=%.3f\n",
    summary.requests, summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), summary.duration / 1e6))
end
