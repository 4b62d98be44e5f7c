local function f() return xpcall(f, f) end
local ok = pcall(f)
local function g() return (string.gsub("a", ".", g)) end
pcall(g)
local t = {table.sort} t[2] = t
pcall(table.sort, t, table.sort)
return {status = "Healthy"}
