-- Shared by upload.lua and get.lua: the JSON summary wrk prints at the end of a run.
-- bench/run reads the line that starts with "BENCHJSON ".  Latencies are microseconds.
local M = {}

function M.json_value(v)
   local t = type(v)
   if t == "number" then
      if v ~= v or v == math.huge or v == -math.huge then return "null" end
      if v == math.floor(v) and math.abs(v) < 2^53 then return string.format("%d", v) end
      return string.format("%.3f", v)
   elseif t == "string" then
      return '"' .. v:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end) .. '"'
   elseif t == "table" then
      local parts = {}
      if #v > 0 then
         for _, x in ipairs(v) do parts[#parts + 1] = M.json_value(x) end
         return "[" .. table.concat(parts, ",") .. "]"
      end
      for k, x in pairs(v) do parts[#parts + 1] = M.json_value(tostring(k)) .. ":" .. M.json_value(x) end
      return "{" .. table.concat(parts, ",") .. "}"
   elseif t == "boolean" then
      return tostring(v)
   end
   return "null"
end

function M.summary(summary, latency, extra)
   local out = {
      requests = summary.requests,
      duration_us = summary.duration,
      bytes = summary.bytes,
      errors = {
         connect = summary.errors.connect, read = summary.errors.read,
         write = summary.errors.write, status = summary.errors.status,
         timeout = summary.errors.timeout,
      },
      latency_us = {
         p50 = latency:percentile(50), p90 = latency:percentile(90),
         p99 = latency:percentile(99), p999 = latency:percentile(99.9),
         mean = latency.mean, max = latency.max, min = latency.min,
      },
   }
   for k, v in pairs(extra or {}) do out[k] = v end
   io.write("BENCHJSON " .. M.json_value(out) .. "\n")
end

return M
