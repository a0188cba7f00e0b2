-- wrk script: cycles through presigned request paths from $URLS (one per line, made by
-- `mooseng bench presign`), sending $METHOD with a $SIZE-byte body for PUT.
local urls = {}
for line in io.lines(os.getenv("URLS")) do
  urls[#urls + 1] = line
end
local method = os.getenv("METHOD") or "GET"
local body = nil
if method == "PUT" then
  body = string.rep("m", tonumber(os.getenv("SIZE") or "4096"))
end
local i = math.random(#urls)

request = function()
  i = i % #urls + 1
  return wrk.format(method, urls[i], nil, body)
end

response = function(status, headers, body)
  if status >= 300 then
    print("HTTP " .. status)
  end
end
