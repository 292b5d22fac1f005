-- wrk script of bench/peers.py: the method and body come from the environment, headers from wrk's -H flags.
--   BENCH_METHOD     GET (default), PUT or POST
--   BENCH_BODY_FILE  a file whose bytes are the request body (PUT/POST); its Content-Type comes from -H
-- At the end it prints one line "BENCH_JSON {...}" (counts; latency percentiles in microseconds), which
-- peers.py parses instead of wrk's text report. No response() callback (it would cost wrk a Lua call per reply);
-- wrk counts replies that are not 2xx/3xx itself (errors.status).

local method = os.getenv("BENCH_METHOD") or "GET"
local body_file = os.getenv("BENCH_BODY_FILE") or ""

wrk.method = method
if body_file ~= "" then
  local f = assert(io.open(body_file, "rb"))
  wrk.body = f:read("*a")
  f:close()
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,' ..
    '"status":%d,"timeout":%d,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
