-- wrk script for gateway-bench: each connection keeps DEPTH requests pipelined (HTTP/1.1), DEPTH being the first
-- argument after `--` (default 8). Every request is the one wrk was given (URL and -H headers); wrk counts each
-- response as a request.
init = function(args)
    local depth = tonumber(args[1]) or 8
    local requests = {}
    for i = 1, depth do
        requests[i] = wrk.format(nil)
    end
    pipelined = table.concat(requests)
end

request = function()
    return pipelined
end
