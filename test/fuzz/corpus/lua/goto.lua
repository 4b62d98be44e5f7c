for i = 1, 10 do goto continue
::continue::
end
return setmetatable({}, {__index = function() return "Healthy" end})