-- wrk script for the read cases (GET of the URL given on the command line).  No
-- response() callback, so wrk stays on its fast path; non-2xx responses are counted by
-- wrk itself (summary.errors.status counts status >= 400; no 3xx is expected on these
-- routes, and bench/run checks each URL answers 200 before the case).
package.path = (os.getenv("BENCH_LUA_DIR") or "bench") .. "/?.lua;" .. package.path
local common = require("common")

function done(summary, latency, requests)
   common.summary(summary, latency, { non2xx = summary.errors.status })
end
