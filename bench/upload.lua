-- wrk script for the upload cases: POST the URL given on the command line as
-- multipart/form-data, field "file", with image bytes that differ in every request, so
-- a deduplicating server really stores each one.
--
--   wrk ... -s bench/upload.lua URL -- FILE NONCE QUOTA_PER_THREAD SLOTS
--
-- SLOTS (computed by bench/run from the file's structure) says where a request's number
-- goes: fields that change neither the pixels nor the decoding work and that a metadata
-- stripper keeps (imghost strips privacy metadata before storing, so a comment would not
-- do):  JPEG the JFIF X/Y density, PNG the pHYs pixels-per-unit X (the chunk's CRC-32 is
-- recomputed), GIF the frames' Graphic Control delays.  Format:
--   slot,slot,...[;crc:FIRST:LAST:AT]     slot = be16|be32|le16:OFFSET:MIN:RADIX
-- offsets 0-based; the number is written in mixed radix, slot i = MIN + digit i; the
-- CRC-32 covers bytes FIRST..LAST-1 and is stored big-endian at AT.
-- A request's number: (NONCE * 4 + thread) * 2^20 + counter, unique within a run.
-- With QUOTA_PER_THREAD > 0 a thread stops after that many responses (the bounded
-- 10,000-upload case) and prints BENCHQUOTA; the duration given to wrk stays the time
-- bound.
package.path = (os.getenv("BENCH_LUA_DIR") or "bench") .. "/?.lua;" .. package.path
local common = require("common")
local bit = require("bit")

local BOUNDARY = "----imghostbench0c9f3e2a7d41"

-- CRC-32 as PNG uses it (reflected 0xEDB88320).  LuaJIT's bit ops give signed 32-bit
-- numbers; the bit patterns are what matter.
local crc_table = {}
for i = 0, 255 do
   local c = i
   for _ = 1, 8 do
      if bit.band(c, 1) == 1 then c = bit.bxor(0xEDB88320, bit.rshift(c, 1)) else c = bit.rshift(c, 1) end
   end
   crc_table[i] = c
end
local function crc_update(crc, s)
   for i = 1, #s do
      crc = bit.bxor(crc_table[bit.band(bit.bxor(crc, s:byte(i)), 0xFF)], bit.rshift(crc, 8))
   end
   return crc
end

local function encode(kind, v)
   if kind == "be16" then return string.char(math.floor(v / 256) % 256, v % 256) end
   if kind == "le16" then return string.char(v % 256, math.floor(v / 256) % 256) end
   if kind == "be32" then
      return string.char(math.floor(v / 16777216) % 256, math.floor(v / 65536) % 256,
                         math.floor(v / 256) % 256, v % 256)
   end
   error("upload.lua: unknown slot kind " .. kind)
end
local WIDTH = { be16 = 2, le16 = 2, be32 = 4 }

-- main state: number the threads, keep them for done()
local threads = {}
function setup(thread)
   threads[#threads + 1] = thread
   thread:set("tid", #threads)
end

-- thread state
local data, slots, crc, head, tail, headers
local nonce, quota = 0, 0
counter, responses, non2xx, sample = 0, 0, 0, ""

function init(args)
   local path = assert(args[1], "upload.lua: FILE argument missing")
   nonce = tonumber(args[2] or "0")
   quota = tonumber(args[3] or "0") or 0
   local spec = assert(args[4], "upload.lua: SLOTS argument missing")
   local f = assert(io.open(path, "rb"))
   data = f:read("*a")
   f:close()

   local slot_spec, crc_spec = spec:match("^([^;]*);?(.*)$")
   slots = {}
   for kind, off, min, radix in slot_spec:gmatch("(%w+):(%d+):(%d+):(%d+)") do
      slots[#slots + 1] = { kind = kind, off = tonumber(off), min = tonumber(min), radix = tonumber(radix) }
   end
   assert(#slots > 0, "upload.lua: no slot in " .. spec)
   table.sort(slots, function(a, b) return a.off < b.off end)
   local first, last, at = crc_spec:match("crc:(%d+):(%d+):(%d+)")
   if first then crc = { first = tonumber(first), last = tonumber(last), at = tonumber(at) } end

   local ctype = "application/octet-stream"
   if data:sub(1, 8) == "\137PNG\r\n\26\n" then ctype = "image/png"
   elseif data:sub(1, 2) == "\255\216" then ctype = "image/jpeg"
   elseif data:sub(1, 3) == "GIF" then ctype = "image/gif" end
   local name = path:match("([^/]+)$")
   head = "--" .. BOUNDARY .. "\r\n"
      .. 'Content-Disposition: form-data; name="file"; filename="' .. name .. '"\r\n'
      .. "Content-Type: " .. ctype .. "\r\n\r\n"
   tail = "\r\n--" .. BOUNDARY .. "--\r\n"
   headers = { ["Content-Type"] = "multipart/form-data; boundary=" .. BOUNDARY }
end

-- The bytes from `lo` to `hi` (0-based, end excluded) are the only ones that change:
-- each request's body is prefix .. middle(n) .. suffix, so the big static parts are
-- built once.
local prefix, suffix, lo, hi

local function prepare()
   lo, hi = math.huge, 0
   for _, s in ipairs(slots) do
      lo = math.min(lo, s.off)
      hi = math.max(hi, s.off + WIDTH[s.kind])
   end
   if crc then
      lo = math.min(lo, crc.first)
      hi = math.max(hi, crc.last, crc.at + 4)
   end
   prefix = head .. data:sub(1, lo)
   suffix = data:sub(hi + 1) .. tail
end

local function middle(n)
   local pieces, pos = {}, lo
   for _, s in ipairs(slots) do
      local v = s.min + n % s.radix
      n = math.floor(n / s.radix)
      pieces[#pieces + 1] = data:sub(pos + 1, s.off)
      pieces[#pieces + 1] = encode(s.kind, v)
      pos = s.off + WIDTH[s.kind]
   end
   pieces[#pieces + 1] = data:sub(pos + 1, hi)
   local out = table.concat(pieces)        -- covers file bytes lo .. hi-1
   if crc then
      local c = bit.bxor(crc_update(-1, out:sub(crc.first - lo + 1, crc.last - lo)), -1)
      out = out:sub(1, crc.at - lo) .. encode("be32", c % 4294967296) .. out:sub(crc.at - lo + 5)
   end
   return out
end

function request()
   counter = counter + 1
   local n = ((nonce % 512) * 4 + (tid or 0) % 4) * 1048576 + counter % 1048576
   if not prefix then prepare() end
   return wrk.format("POST", nil, headers, prefix .. middle(n) .. suffix)
end

function response(status, hdrs, body)
   responses = responses + 1
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
      if sample == "" then sample = tostring(status) .. " " .. body:sub(1, 300) end
   end
   if quota > 0 and responses == quota then
      -- wrk's main thread sleeps for the whole duration: bench/run ends it with SIGINT
      -- (which makes wrk print its summary) once every thread has said this.
      io.write("BENCHQUOTA\n")
      io.stdout:flush()
      wrk.thread:stop()
   end
end

function done(summary, latency, requests)
   local n, s = 0, ""
   for _, t in ipairs(threads) do
      n = n + (t:get("non2xx") or 0)
      if s == "" then s = t:get("sample") or "" end
   end
   common.summary(summary, latency, { non2xx = n, error_sample = s })
end
