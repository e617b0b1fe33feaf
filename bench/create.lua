-- wrk script: POST /api/v1/admin/access-tokens (durable creates), rotating through the `*`
-- tokens of many creator accounts (TOKENS_FILE) so the per-account token limit is never near.
local requests = {}
local next_request = 1

function init(args)
  local path = os.getenv("TOKENS_FILE") or error("set TOKENS_FILE")
  for token in io.lines(path) do
    requests[#requests + 1] = wrk.format("POST", "/api/v1/admin/access-tokens", {
      ["Authorization"] = "Bearer " .. token,
      ["Content-Type"] = "application/json",
    }, '{"name":"bench","permissions":["analytics:read"]}')
  end
  if #requests == 0 then error("no tokens in " .. path) end
end

function request()
  local r = requests[next_request]
  next_request = next_request % #requests + 1
  return r
end
