-- wrk script: the same one-row prediction at a fixed rate, RATE requests a second (default 1,000) spread evenly
-- over the run's connections (see pace.lua); with 10 connections a request rarely waits for a free one
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = assert(io.open(os.getenv("BODY") or "functions/predict/bench/one-row.json", "r"))
wrk.body = f:read("*a")
f:close()
local pace = dofile("functions/predict/bench/pace.lua")
pace.install(tonumber(os.getenv("RATE") or "1000"))
pace.report_tail()
