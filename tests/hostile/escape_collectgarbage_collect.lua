-- expect: option 'collect' is not allowed in the sandbox
-- full collections cost the host time
collectgarbage()
