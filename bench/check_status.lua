-- check_status.lua - wrk script for bench/serve_load.sh's sampled batch
-- run: sends the same request as check_answers.lua (METHOD, REQ_PATH,
-- BODY_FILE, TOKEN) but defines no response(), so wrk neither keeps nor
-- hands over the bodies (with a response() it copies each 2.2 MB answer
-- into a buffer and Lua compares it: a third of wrk's CPU, taken from the
-- server it shares the machine with).  wrk still counts every answer that
-- is not 2xx ("Non-2xx or 3xx responses"); serve_load.sh compares sampled
-- answers, fetched beside the run, byte for byte.
local function slurp(p)
  local f = assert(io.open(p, "rb"))
  local s = f:read("*a")
  f:close()
  return s
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
end
