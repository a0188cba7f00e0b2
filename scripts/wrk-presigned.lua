-- wrk script: sends $METHOD (with a $SIZE-byte body for PUT) over presigned request paths from
-- $URLS (one per line, made by `mooseng bench presign`). Thread t of $THREADS takes paths
-- t+1, t+1+THREADS, ... and wraps, so a PUT run writes the first N keys of the list
-- (N about the request count); done() prints that count for the GET run to size its list.
local urls = {}
for line in io.lines(os.getenv("URLS")) do
  urls[#urls + 1] = line
end
local method = os.getenv("METHOD") or "GET"
local stride = tonumber(os.getenv("THREADS") or "1")
local body = nil
if method == "PUT" then
  body = string.rep("m", tonumber(os.getenv("SIZE") or "4096"))
end

local next_id = 0
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

local i = nil
request = function()
  if i == nil then
    i = id or 0
  else
    i = (i + stride) % #urls
  end
  return wrk.format(method, urls[i + 1], nil, body)
end

response = function(status, headers, body)
  if status >= 300 then
    print("HTTP " .. status)
  end
end

done = function(summary, latency, requests)
  io.write(string.format("requests %d, errors (status >= 300) %d\n", summary.requests, summary.errors.status))
end
