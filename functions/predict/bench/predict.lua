-- wrk script: POST one single-row prediction (bench/one-row.json) as fast as the connections allow
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = assert(io.open(os.getenv("BODY") or "functions/predict/bench/one-row.json", "r"))
wrk.body = f:read("*a")
f:close()
