-- wrk script: POST the body in $BODY (default: one entity x 19 features). With DELAY_MS set, each connection
-- waits that long between requests, so that N connections offer about N x 1000 / DELAY_MS requests a second
-- (10 connections, DELAY_MS=10: about 1,000 a second); without it, as fast as the connections allow.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = assert(io.open(os.getenv("BODY") or "functions/features/bench/one-entity.json", "r"))
wrk.body = f:read("*a")
f:close()
local pause = tonumber(os.getenv("DELAY_MS") or "")
if pause then
  function delay()
    return pause
  end
end
