-- wrk script for bench/directory/run.sh: each request reads one bulk customer chosen at
-- random (uniformly among FIRST_ID..LAST_ID), so lookups spread over the whole directory.
-- BY=id: GET /rest/customer/<id>; BY=ref: GET /rest/customer?extCustomerRef=BULK-<id>.
-- The Authorization header comes from wrk's -H.
local first = tonumber(os.getenv("FIRST_ID"))
local last = tonumber(os.getenv("LAST_ID"))
local by = os.getenv("BY") or "id"
if not first or not last or (by ~= "id" and by ~= "ref") then
  error("customer.lua needs FIRST_ID, LAST_ID and BY=id|ref")
end

function setup(thread)
  thread:set("seed", math.random(1, 2 ^ 30))
end

function init(args)
  math.randomseed(seed or os.time())
end

function request()
  local id = math.random(first, last)
  if by == "ref" then
    return wrk.format("GET", "/rest/customer?format=xml&extCustomerRef=BULK-" .. id)
  end
  return wrk.format("GET", "/rest/customer/" .. id .. "?format=xml")
end
