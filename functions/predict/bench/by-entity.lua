-- wrk script: POST a prediction by customer id (a random one of the 5,000 demo customers per request), so the
-- function reads the churn model's 19 features from the online store before it scores. DELAY_MS=10 makes each
-- connection wait 10 ms between requests (10 connections: about 1,000 requests a second).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local delay_ms = tonumber(os.getenv("DELAY_MS") or "0")
math.randomseed(42)

request = function()
  return wrk.format(nil, nil, nil,
    string.format('{"model":"churn","entities":{"customer_id":[%d]}}', math.random(1, 5000)))
end

if delay_ms > 0 then
  function delay()
    return delay_ms
  end
end
