-- wrk script for the gate scanning benchmark (bench/scan_bench.py runs it).
--
-- Every request is a POST of a different barcode, read from the file named by SCAN_BARCODES
-- (one a line): thread i of n takes barcodes i, i+n, i+2n, ... so no two requests share one.
-- SCAN_PATH is the path to post to, SCAN_TOKEN the Bearer token (empty: no header).
-- At the end one line "SCAN_RESULT {json}" has the counts and latency percentiles (ms).

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  nthreads = tonumber(os.getenv("SCAN_THREADS") or "1")
  scan_path = os.getenv("SCAN_PATH") or "/api/v1/scan"
  local token = os.getenv("SCAN_TOKEN") or ""
  barcodes = {}
  for line in io.lines(os.getenv("SCAN_BARCODES")) do
    if line ~= "" then barcodes[#barcodes + 1] = line end
  end
  index = id
  wrapped = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  if token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end
end

function request()
  if index >= #barcodes then
    index = index % #barcodes -- out of fresh barcodes: counted, so the report can say so
    wrapped = wrapped + 1
  end
  local barcode = barcodes[index + 1]
  index = index + nthreads
  return wrk.format(nil, scan_path, nil, '{"barcode":"' .. barcode .. '","direction":"in"}')
end

function done(summary, latency, requests)
  local wrapped_total = 0
  for _, thread in ipairs(threads) do wrapped_total = wrapped_total + (thread:get("wrapped") or 0) end
  local e = summary.errors
  io.write(string.format(
    'SCAN_RESULT {"requests": %d, "duration_s": %.3f, "non_2xx": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "timeouts": %d, "p50_ms": %.2f, "p90_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, ' ..
    '"mean_ms": %.2f, "wrapped": %d}\n',
    summary.requests, summary.duration / 1e6, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, latency.mean / 1000, wrapped_total))
end
