-- query_filters.lua - for tests/query_check.py: many display filters on one
-- tshark run. Each line of $WL_FILTERS is a filter; a tap listener per filter
-- writes "INDEX FRAME" to $WL_OUT for every frame it matches (as -Y would),
-- "INDEX ERR" for a filter tshark refuses.
local filters = {}
for line in io.lines(os.getenv("WL_FILTERS")) do filters[#filters + 1] = line end
local out = assert(io.open(os.getenv("WL_OUT"), "w"))
for i, f in ipairs(filters) do
  local ok, l = pcall(Listener.new, nil, f)
  if ok then
    l.packet = function(pinfo) out:write(i, " ", pinfo.number, "\n") end
  else
    out:write(i, " ERR\n")
  end
end
