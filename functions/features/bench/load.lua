-- wrk script: POST the body in $BODY (default: one entity x 19 features) as fast as the connections allow
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = assert(io.open(os.getenv("BODY") or "functions/features/bench/one-entity.json", "r"))
wrk.body = f:read("*a")
f:close()
