-- wrk script of bench/run: the requests of one scenario against one target, read from a
-- spec file, and one machine-readable result line at the end.
--
-- BENCH_SPEC names the spec file, one request kind a line, tab-separated:
--   weight  METHOD  path  body-file-or-"-"
-- Path and body may hold placeholders, filled per request:
--   {uniq}  a value unique to this request in this run (BENCH_NONCE, wrk thread, counter)
--   {id}    a random integer in [BENCH_ID_FIRST, BENCH_ID_LAST]
-- A spec of one line without placeholders is sent as wrk's static request (no Lua per
-- request), so a plain GET costs wrk what `wrk URL` costs. BENCH_AUTH is the whole
-- Authorization header value; BENCH_CONTENT_TYPE the Content-Type of bodies.
--
-- done() prints "BENCH_RESULT {json}": requests, duration (µs), latency percentiles (µs)
-- and wrk's error counts (status = answers with a status of 400 or more).

local spec_file = os.getenv("BENCH_SPEC") or error("requests.lua needs BENCH_SPEC")
local nonce = os.getenv("BENCH_NONCE") or "0"
local id_first = tonumber(os.getenv("BENCH_ID_FIRST") or "0")
local id_last = tonumber(os.getenv("BENCH_ID_LAST") or "0")
local base_headers = {
  ["Authorization"] = os.getenv("BENCH_AUTH"),
  ["Content-Type"] = os.getenv("BENCH_CONTENT_TYPE"),
}

local function read_all(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

local kinds, total_weight, dynamic = {}, 0, false
for line in io.lines(spec_file) do
  if line ~= "" and line:sub(1, 1) ~= "#" then
    local weight, method, path, body_file = line:match("^(%d+)\t(%u+)\t([^\t]+)\t([^\t]+)$")
    if not weight then error("requests.lua: bad spec line: " .. line) end
    local body = nil
    if body_file ~= "-" then body = read_all(body_file) end
    total_weight = total_weight + tonumber(weight)
    local placeholders = path:find("{", 1, true) or (body and body:find("{uniq}", 1, true))
      or (body and body:find("{id}", 1, true))
    kinds[#kinds + 1] = { upto = total_weight, method = method, path = path, body = body,
                          fixed = not placeholders }
  end
end
if #kinds == 0 then error("requests.lua: empty spec " .. spec_file) end
dynamic = #kinds > 1 or not kinds[1].fixed

local function headers()
  local h = {}
  for k, v in pairs(base_headers) do h[k] = v end
  return h
end

if not dynamic then
  local k = kinds[1]
  wrk.method, wrk.path, wrk.body, wrk.headers = k.method, k.path, k.body, headers()
else
  local counter = 0  -- thread_tag and seed are globals set by setup() in each thread
  local fixed_requests = {}

  function setup(thread)
    thread:set("thread_tag", tostring(setup_count or 0))
    setup_count = (setup_count or 0) + 1
    thread:set("seed", math.random(1, 2 ^ 30))
  end

  function init(args)
    math.randomseed(seed or os.time())
    for i, k in ipairs(kinds) do
      if k.fixed then fixed_requests[i] = wrk.format(k.method, k.path, headers(), k.body) end
    end
  end

  local function fill(text, uniq, id)
    if text == nil then return nil end
    return (text:gsub("{uniq}", uniq):gsub("{id}", id))
  end

  function request()
    local r = math.random(1, total_weight)
    local i = 1
    while kinds[i].upto < r do i = i + 1 end
    if fixed_requests[i] then return fixed_requests[i] end
    local k = kinds[i]
    counter = counter + 1
    local uniq = nonce .. "-" .. (thread_tag or "0") .. "-" .. counter
    local id = tostring(math.random(id_first, id_last))
    return wrk.format(k.method, fill(k.path, uniq, id), headers(), fill(k.body, uniq, id))
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"p999_us":%d,' ..
    '"max_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency:percentile(99.9), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
