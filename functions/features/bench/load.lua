-- wrk script: POST the body in $BODY (default: one entity x 19 features). With RATE set, requests leave at that
-- fixed rate, spread evenly over the run's connections (functions/predict/bench/pace.lua); without it, as fast as
-- the connections allow.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
-- ACCEPT_ENCODING=gzip asks for a compressed answer, as Feast's Python client (requests) does by default
if os.getenv("ACCEPT_ENCODING") then
  wrk.headers["Accept-Encoding"] = os.getenv("ACCEPT_ENCODING")
end
local f = assert(io.open(os.getenv("BODY") or "functions/features/bench/one-entity.json", "r"))
wrk.body = f:read("*a")
f:close()
local rate = tonumber(os.getenv("RATE") or "")
if rate then
  local pace = dofile("functions/predict/bench/pace.lua")
  pace.install(rate)
  pace.report_tail()
end
