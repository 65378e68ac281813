-- check_answers.lua - wrk script for bench/serve_load.sh: sends one request
-- (METHOD, PATH, BODY_FILE, TOKEN from the environment) and counts every
-- answer that is not 200 with exactly the body in EXPECT_FILE.
local function slurp(p)
  local f = assert(io.open(p, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

local expect = slurp(os.getenv("EXPECT_FILE"))
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  wrk.method = os.getenv("METHOD")
  wrk.path = os.getenv("REQ_PATH")
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
  local bf = os.getenv("BODY_FILE")
  if bf and bf ~= "" then
    wrk.body = slurp(bf)
    wrk.headers["Content-Type"] = "application/json"
  end
  wrong = 0
end

function response(status, headers, body)
  if status ~= 200 or body ~= expect then wrong = wrong + 1 end
end

function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("wrong") end
  io.write(string.format("WRONG %d\n", bad))
end
