-- Paces a wrk run at a fixed rate, for the load scripts' latency runs: dofile() it, then install(rate).
--
-- wrk itself keeps each connection busy back to back, and a fixed pause between a response and the next request
-- (what these scripts did before) lets the connections fall into step: after one slow answer they all send
-- together, so the "1,000 requests a second" arrive as bursts of ten every 10 ms and the tail measures the
-- queue of a burst. Here every request takes the next free slot of a single schedule of one slot per 1/rate s,
-- shared by all the connections of the (one) wrk thread, so requests are spread evenly over time.
--
-- Limits: wrk truncates a delay to whole milliseconds, so a request leaves up to 1 ms before its slot; the first
-- request of each connection leaves at once; a run that falls behind (every connection waiting for an answer)
-- starts the schedule again from the moment it catches up rather than sending the missed slots in a burst,
-- so, as with any closed set of connections, a stall delays requests that are then not sent at all.
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } quiver_timespec;
int clock_gettime(int clock_id, quiver_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("quiver_timespec")

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local pace = {}

function pace.install(rate)
  local interval = 1000 / rate
  local next_slot = nil
  function delay()
    local now = now_ms()
    if next_slot == nil or next_slot < now then
      next_slot = now
    end
    local wait = next_slot - now
    next_slot = next_slot + interval
    return wait
  end
end

-- wrk's own summary gives p50/p75/p90/p99; this adds the points between, for the tail
function pace.report_tail()
  function done(summary, latency, requests)
    local line = string.format("requests %d", summary.requests)
    for _, p in ipairs({ 50, 90, 95, 98, 99, 99.5, 99.9 }) do
      line = line .. string.format(", p%s %.2f ms", p, latency:percentile(p) / 1000)
    end
    io.write(line .. string.format(", max %.1f ms\n", latency.max / 1000))
  end
end

return pace
