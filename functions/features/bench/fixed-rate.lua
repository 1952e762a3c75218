-- wrk script: POST the body in $BODY, each connection waiting 10 ms between requests, so that N connections
-- offer about N x 100 requests a second (10 connections: about 1,000 a second)
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = assert(io.open(os.getenv("BODY") or "functions/features/bench/one-entity.json", "r"))
wrk.body = f:read("*a")
f:close()
function delay()
  return 10
end
