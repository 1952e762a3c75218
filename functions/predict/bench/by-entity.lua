-- wrk script: POST a prediction by customer id (a random one of the 5,000 demo customers per request), so the
-- function reads the churn model's 19 features from the online store before it scores. With RATE set, requests
-- leave at that fixed rate, spread evenly over the run's connections (pace.lua); without it, back to back.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
math.randomseed(42)

request = function()
  return wrk.format(nil, nil, nil,
    string.format('{"model":"churn","entities":{"customer_id":[%d]}}', math.random(1, 5000)))
end

local rate = tonumber(os.getenv("RATE") or "")
if rate then
  local pace = dofile("functions/predict/bench/pace.lua")
  pace.install(rate)
  pace.report_tail()
end
