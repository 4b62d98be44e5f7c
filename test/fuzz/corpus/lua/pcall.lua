local ok, err = pcall(error, {code = 1})
return {status = ok and "Healthy" or "Unknown", message = tostring(os.time() > 0)}