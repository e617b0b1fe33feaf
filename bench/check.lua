-- wrk script: GET /api/v1/auth/check?permission=analytics:read (or CHECK_PATH, e.g. a gated
-- nginx location), rotating through the tokens in the file named by TOKENS_FILE (one per line,
-- written by tokend_seed). Requests are formatted once in init() so wrk spends its CPU on
-- sending, not on Lua.
local requests = {}
local next_request = 1

function init(args)
  local path = os.getenv("TOKENS_FILE") or error("set TOKENS_FILE")
  local target = os.getenv("CHECK_PATH") or "/api/v1/auth/check?permission=analytics:read"
  for token in io.lines(path) do
    requests[#requests + 1] = wrk.format("GET", target,
                                         { ["Authorization"] = "Bearer " .. token })
  end
  if #requests == 0 then error("no tokens in " .. path) end
  -- Each wrk thread starts at its own offset.
  next_request = (math.random(#requests) - 1) % #requests + 1
end

function request()
  local r = requests[next_request]
  next_request = next_request % #requests + 1
  return r
end
